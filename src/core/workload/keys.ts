/** Key choosers for the workload: uniform, or Zipfian (a few hot keys take most operations). */

/** Key name for index i (zero-padded so the data browser sorts them naturally). */
export function workloadKey(i: number): string {
  return `k${String(i).padStart(5, '0')}`
}

export type KeyDistribution = 'uniform' | 'zipfian'

/** Returns a function picking a key index in [0, n) using `rand()` ∈ [0, 1). */
export function keyIndexChooser(
  dist: KeyDistribution,
  n: number,
  rand: () => number,
  skew = 1.1,
): () => number {
  if (!(n >= 1)) throw new Error(`number of keys must be >= 1, got ${n}`)
  if (dist === 'uniform') return () => Math.min(n - 1, Math.floor(rand() * n))
  const cdf = zipfCdf(n, skew)
  return () => {
    const u = rand()
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (cdf[mid] < u) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** Cumulative distribution of Zipf(s) over ranks 1..n (last entry is exactly 1). */
export function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n)
  let sum = 0
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1) ** s
    cdf[i] = sum
  }
  for (let i = 0; i < n; i++) cdf[i] /= sum
  cdf[n - 1] = 1
  return cdf
}

/** A small seeded PRNG (mulberry32) so workloads are repeatable. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
