/** Structural sharing for derived React Flow elements: unchanged elements keep their identity, so memoised views skip. */

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) {
    const x = a[k]
    const y = b[k]
    if (x === y) continue
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => v === y[i]))
      continue
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x)) {
      if (shallowEqual(x as Record<string, unknown>, y as Record<string, unknown>)) continue
    }
    return false
  }
  return true
}

/** Returns `next` with each element replaced by its previous version when equal (two levels deep). */
export function reuseEqual<T extends { id: string }>(prev: readonly T[], next: T[]): T[] {
  const byId = new Map(prev.map((p) => [p.id, p]))
  let same = prev.length === next.length
  const out = next.map((n, i) => {
    const p = byId.get(n.id)
    if (p && shallowEqual(p as unknown as Record<string, unknown>, n as unknown as Record<string, unknown>)) {
      if (prev[i] !== p) same = false
      return p
    }
    same = false
    return n
  })
  return same ? (prev as T[]) : out
}
