/** Hint arrows between stand-ins and the owners they hold hints for, with their phase (pure, unit-tested via deriveFlow). */
import type { NodeSnapshot } from '../../cluster/types'
import type { EdgeChip, FlowEdge } from './deriveFlow'

/**
 * A hint arrow's phase. `holding`: the owner is down to the holder, so its writes wait on the stand-in
 * (the arrow points owner → stand-in). `draining`: the holder sees the owner up and replays (stand-in →
 * owner, the count going down). `delivered`: the drain just ended (shown a few seconds).
 */
export type HintPhase = 'holding' | 'draining' | 'delivered'

export interface HintEdgeData extends Record<string, unknown> {
  holder: string
  owner: string
  phase: HintPhase
  /** Hints still held (delivered ones for the `delivered` phase). */
  count: number
  cardHalf: { w: number; h: number }
  chip: EdgeChip
}

/** "12 hints held", "delivering · 4 left", "delivered 12 ✓". */
export function hintChipText(d: Pick<HintEdgeData, 'phase' | 'count'>): string {
  const hints = `${d.count} hint${d.count === 1 ? '' : 's'}`
  if (d.phase === 'holding') return `${hints} held`
  if (d.phase === 'draining') return `delivering · ${d.count} left`
  return `delivered ${d.count} ✓`
}

/**
 * Hint arrows: one per (holder, owner) with hints held, in its phase from the holder's view of the
 * owner, plus one per drain that just finished (`delivered`, keyed `holder>owner`).
 */
export function hintEdges(
  members: readonly string[],
  snapshots: Readonly<Record<string, NodeSnapshot>>,
  cardHalf: { w: number; h: number },
  delivered: Readonly<Record<string, number>> = {},
): FlowEdge[] {
  const edges: FlowEdge[] = []
  const active = new Set<string>()
  const push = (holder: string, owner: string, phase: HintPhase, count: number) => {
    const hints = `${count} hint${count === 1 ? '' : 's'}`
    const ariaLabel =
      phase === 'holding'
        ? `${holder} holds ${hints} for ${owner}, which is down`
        : phase === 'draining'
          ? `${holder} is delivering hints to ${owner}: ${count} left`
          : `${holder} delivered ${hints} to ${owner}`
    edges.push({
      id: `hint:${holder}>${owner}`,
      type: 'hint',
      // Geometry always runs holder → owner (the curve keeps its side); the phase picks the arrow's end.
      source: holder,
      target: owner,
      zIndex: 2,
      animated: phase !== 'delivered',
      focusable: false,
      ariaLabel,
      data: {
        holder,
        owner,
        phase,
        count,
        cardHalf,
        chip: { lines: [], w: 0, h: 0, place: { t: 0.5, off: 0 } },
      },
    })
  }
  for (const holder of members) {
    const s = snapshots[holder]
    if (!s) continue
    for (const [owner, count] of Object.entries(s.hintsByTarget)) {
      if (count <= 0 || !members.includes(owner)) continue
      active.add(`${holder}>${owner}`)
      push(holder, owner, s.peerViews[owner] === 'up' ? 'draining' : 'holding', count)
    }
  }
  for (const [k, count] of Object.entries(delivered)) {
    const [holder, owner] = k.split('>')
    if (active.has(k) || !members.includes(holder) || !members.includes(owner)) continue
    push(holder, owner, 'delivered', count)
  }
  return edges
}

/** Hint arrows drawn per node at dense sizes (the ones holding the most hints). */
export const HINT_EDGES_PER_NODE = 2

/**
 * At dense sizes, only the hint arrows with the most hints (at most HINT_EDGES_PER_NODE per node): an
 * overloaded 16- or 32-node cluster can hold hints between hundreds of pairs, and each arrow costs a
 * label chip placed against every other (the page's top self time under 20k ops/s offered); and
 * without the dash animation.
 */
export function busiestHints(edges: FlowEdge[], n: number, dense: boolean): FlowEdge[] {
  const max = HINT_EDGES_PER_NODE * n
  if (!dense) return edges
  // Not animated either: a dashed edge animates every frame, which the compositor pays for.
  const still = edges.map((e) => (e.animated ? { ...e, animated: false } : e))
  if (still.length <= max) return still
  const count = (e: FlowEdge): number => (e.data as HintEdgeData).count
  return still.sort((a, b) => count(b) - count(a) || (a.id < b.id ? -1 : 1)).slice(0, max)
}
