/** Version vectors as plain objects (node id → counter): the causal part of DVV sets and CRDTs. */

export type VersionVector = Record<string, number>

/** The entrywise max of two vectors (a new object). */
export function vvMax(a: VersionVector, b: VersionVector): VersionVector {
  const out: VersionVector = { ...a }
  for (const n in b) if ((out[n] ?? 0) < b[n]) out[n] = b[n]
  return out
}

/** True when the vector has seen dot (n, c). */
export function vvCovers(vv: VersionVector, n: string, c: number): boolean {
  return c <= (vv[n] ?? 0)
}

/** A canonical text of a vector (sorted by node id), for digests. */
export function vvText(vv: VersionVector): string {
  return Object.keys(vv)
    .sort()
    .map((n) => `${n}=${vv[n]}`)
    .join(',')
}

/** True when `x` is a vector: an object of positive integer counters. */
export function isVersionVector(x: unknown): x is VersionVector {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false
  const o = x as Record<string, unknown>
  for (const k in o) if (!Number.isSafeInteger(o[k]) || (o[k] as number) < 1) return false
  return true
}
