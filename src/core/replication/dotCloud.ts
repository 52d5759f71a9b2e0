/**
 * Which ops a node has seen, per origin: a contiguous watermark plus the seqs seen above it (a "dot
 * cloud"). Unlike the original's "apply if seq > last_seen", an op that arrives late or out of order is
 * still applied exactly once. Extra seqs are kept as sorted disjoint ranges so gaps stay cheap.
 */
import type { NodeId } from '../ids'

/** Plain-JSON form: per origin, the contiguous watermark and sorted [from, to] ranges above it. */
export type DotCloudJson = Record<string, { max: number; extra: Array<[number, number]> }>

interface OriginDots {
  max: number
  extra: Array<[number, number]>
}

export class DotCloud {
  private origins = new Map<string, OriginDots>()

  static fromJson(json: DotCloudJson | undefined): DotCloud {
    const c = new DotCloud()
    for (const [origin, d] of Object.entries(json ?? {}))
      c.origins.set(origin, { max: d.max, extra: d.extra.map(([a, b]) => [a, b]) })
    return c
  }

  toJson(): DotCloudJson {
    const out: DotCloudJson = {}
    for (const [origin, d] of this.origins)
      out[origin] = { max: d.max, extra: d.extra.map(([a, b]) => [a, b]) }
    return out
  }

  has(origin: NodeId, seq: number): boolean {
    const d = this.origins.get(origin)
    if (!d) return false
    if (seq <= d.max) return true
    for (const [a, b] of d.extra) {
      if (seq < a) return false
      if (seq <= b) return true
    }
    return false
  }

  /** Records a seq; returns false when it was already seen. */
  add(origin: NodeId, seq: number): boolean {
    if (this.has(origin, seq)) return false
    this.addRange(origin, seq, seq)
    return true
  }

  /** Records every seq in [from, to]. */
  addRange(origin: NodeId, from: number, to: number): void {
    if (to < from) return
    let d = this.origins.get(origin)
    if (!d) {
      d = { max: 0, extra: [] }
      this.origins.set(origin, d)
    }
    if (to <= d.max) return
    from = Math.max(from, d.max + 1)
    // The common case, an origin's next seqs in order: move the watermark, allocate nothing.
    if (from === d.max + 1 && (d.extra.length === 0 || to + 1 < d.extra[0][0])) {
      d.max = to
      return
    }
    // Insert and merge ranges (kept sorted and disjoint, adjacent ranges merged).
    const merged: Array<[number, number]> = []
    let cur: [number, number] = [from, to]
    let placed = false
    for (const r of d.extra) {
      if (r[1] + 1 < cur[0]) merged.push(r)
      else if (cur[1] + 1 < r[0]) {
        if (!placed) {
          merged.push(cur)
          placed = true
        }
        merged.push(r)
      } else cur = [Math.min(cur[0], r[0]), Math.max(cur[1], r[1])]
    }
    if (!placed) merged.push(cur)
    merged.sort((x, y) => x[0] - y[0])
    while (merged.length > 0 && merged[0][0] <= d.max + 1) {
      d.max = Math.max(d.max, merged[0][1])
      merged.shift()
    }
    d.extra = merged
  }

  /** The contiguous watermark per origin: the version vector the seed calls `last_seen`. */
  watermarks(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [origin, d] of this.origins) out[origin] = d.max
    return out
  }

  watermark(origin: NodeId): number {
    return this.origins.get(origin)?.max ?? 0
  }

  /** Number of ranges kept above watermarks (a measure of gaps). */
  gapRanges(): number {
    let n = 0
    for (const d of this.origins.values()) n += d.extra.length
    return n
  }
}
