/** Canonical JSON (object keys sorted): equal states give equal text, whatever order they were built in. */
export function canonical(x: unknown): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x)
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`
  const o = x as Record<string, unknown>
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`
}

/** True when `x` maps strings to non-negative safe integers. */
export function isCounts(x: unknown): x is Record<string, number> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false
  for (const v of Object.values(x)) if (!Number.isSafeInteger(v) || (v as number) < 0) return false
  return true
}

/** Entrywise max of two count maps. */
export function maxCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a }
  for (const k in b) if ((out[k] ?? 0) < b[k]) out[k] = b[k]
  return out
}

export function sumCounts(a: Record<string, number>): number {
  let t = 0
  for (const k in a) t += a[k]
  return t
}

/** A canonical text of a count map (sorted by key), cheaper than canonical() on the hot path. */
export function countsText(a: Record<string, number>): string {
  return Object.keys(a)
    .sort()
    .map((k) => `${JSON.stringify(k)}=${a[k]}`)
    .join(',')
}
