/**
 * Which partitions a data movement changes: for each partition of the new map, the replicas it gains
 * (`to`) and the old replicas of the key ranges it covers (`from`). Pure; the move progress shows it.
 */
import type { NodeId } from '../core/ids'
import { distinctNodesFrom, type HashRing, vnodeIndexFor } from '../core/ring/hashRing'
import { partitionMapOf, placementOf } from '../core/ring/placement'

/** One partition of the new map that gains a replica, with the nodes that held its keys before. */
export interface MovedPartition {
  id: number
  /** Range: the key range [start, end); ring and hash: the token arc (start, end]. */
  start: string
  end: string | null
  from: NodeId[]
  to: NodeId[]
  /** The primary owner of (the first part of) its keys before the move. */
  wasOwner: NodeId
  /** Partitions of the old map (the published one while the move copies) whose keys it takes. */
  wasIds: number[]
}

/** Old partition ids whose keys fall (partly) into new partition `id`. */
function oldPartitionsUnder(
  before: HashRing,
  after: HashRing,
  id: number,
  start: string,
  end: string | null,
): number[] {
  const placed = placementOf(after)
  const kind = placed.kind
  if (placed.kind === 'hash') {
    // A hash split (linear hashing) appends partition `partitions + k`, made of keys of `splits[k]`.
    if (id < before.vnodes.length) return [id]
    const source = placed.splits?.[id - placed.partitions]
    return source === undefined ? [] : [source]
  }
  if (kind === 'range') {
    const p = placementOf(before)
    if (p.kind !== 'range') return []
    const out: number[] = []
    p.starts.forEach((s, i) => {
      const e = i + 1 < p.starts.length ? p.starts[i + 1] : p.end
      if ((end === null || s < end) && (e === null || e > start)) out.push(i)
    })
    return out
  }
  // Ring: the old arc holding the new arc's end token, plus every old token strictly inside the arc.
  const out = new Set<number>([vnodeIndexFor(before, end ?? start)])
  const wraps = end !== null && start >= end
  before.vnodes.forEach((v, i) => {
    const inside = wraps
      ? v.token > start || v.token < (end as string)
      : v.token > start && v.token < (end ?? '')
    if (inside) out.add(i)
  })
  return [...out]
}

/** Partitions of `after` that gain replicas relative to `before`, with from/to nodes. */
export function movedPartitions(
  before: { ring: HashRing; n: number },
  after: { ring: HashRing; n: number },
): MovedPartition[] {
  if (before.ring.vnodes.length === 0) return []
  const out: MovedPartition[] = []
  for (const p of partitionMapOf(after.ring, after.n).partitions) {
    const from = new Set<NodeId>()
    const to = new Set<NodeId>()
    let wasOwner: NodeId | null = null
    const wasIds: number[] = []
    for (const old of oldPartitionsUnder(before.ring, after.ring, p.id, p.start, p.end)) {
      if (old >= before.ring.vnodes.length) continue
      const had = distinctNodesFrom(before.ring, old, before.n)
      const gained = p.replicas.filter((r) => !had.includes(r))
      if (gained.length === 0) continue
      wasOwner ??= had[0]
      wasIds.push(old)
      for (const g of gained) to.add(g)
      for (const h of had) from.add(h)
    }
    if (to.size > 0 && wasOwner)
      out.push({
        id: p.id,
        start: p.start,
        end: p.end,
        from: [...from].sort(),
        to: [...to].sort(),
        wasOwner,
        wasIds: wasIds.sort((x, y) => x - y),
      })
  }
  return out
}
