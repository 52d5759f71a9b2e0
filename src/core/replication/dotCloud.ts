/**
 * Which ops a node has seen, per origin: a contiguous watermark plus the seqs seen above it (a "dot
 * cloud"). Unlike the original's "apply if seq > last_seen", an op that arrives late or out of order is
 * still applied exactly once. Extra seqs are kept as sorted disjoint ranges so gaps stay cheap.
 */
import { dbError } from '../errors'
import type { NodeId } from '../ids'

/** Plain-JSON form: per origin, the contiguous watermark and sorted [from, to] ranges above it. */
export type DotCloudJson = Record<string, { max: number; extra: Array<[number, number]> }>

interface OriginDots {
  max: number
  extra: Array<[number, number]>
}

export class DotCloud {
  private origins = new Map<string, OriginDots>()

  /**
   * Parses the JSON form (undefined = empty). Throws BAD_INPUT naming the first malformed part: per
   * origin a non-negative integer watermark and sorted, disjoint, non-adjacent integer ranges above it.
   */
  static fromJson(json: unknown): DotCloud {
    const c = new DotCloud()
    if (json === undefined) return c
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw dbError(
        'BAD_INPUT',
        `a dot cloud is an object per origin, got ${json === null ? 'null' : typeof json}`,
      )
    for (const [origin, d] of Object.entries(json as Record<string, unknown>)) {
      const bad = (what: string): never => {
        throw dbError('BAD_INPUT', `dot cloud entry ${origin}: ${what}`)
      }
      if (typeof d !== 'object' || d === null) bad('is not an object')
      const { max, extra } = d as { max?: unknown; extra?: unknown }
      if (!isSeq(max)) bad(`watermark ${String(max)} is not a non-negative integer`)
      if (!Array.isArray(extra)) bad('extra ranges are not a list')
      const ranges: Array<[number, number]> = []
      let last = (max as number) + 1
      for (const r of extra as unknown[]) {
        if (!Array.isArray(r) || r.length !== 2 || !isSeq(r[0]) || !isSeq(r[1]))
          bad('a range is not [from, to]')
        const [a, b] = r as [number, number]
        if (a <= last || b < a) bad(`range [${a}, ${b}] is out of order`)
        ranges.push([a, b])
        last = b + 1
      }
      c.origins.set(origin, { max: max as number, extra: ranges })
    }
    return c
  }

  /** An independent copy (no validation: this cloud is well-formed by construction). */
  clone(): DotCloud {
    const c = new DotCloud()
    for (const [origin, d] of this.origins)
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

  /** Records every seq `other` has (a union). */
  addAll(other: DotCloud): void {
    for (const [origin, d] of other.origins) {
      this.addRange(origin as NodeId, 1, d.max)
      for (const [a, b] of d.extra) this.addRange(origin as NodeId, a, b)
    }
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
    // An origin's next seqs above a gap (e.g. after its seqs jumped on restart): extend the last range.
    const last = d.extra[d.extra.length - 1]
    if (last !== undefined && from === last[1] + 1) {
      last[1] = to
      return
    }
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

  /** The highest seq seen from `origin` (0 when none). */
  highest(origin: NodeId): number {
    const d = this.origins.get(origin)
    if (!d) return 0
    return d.extra.length > 0 ? d.extra[d.extra.length - 1][1] : d.max
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

function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}
