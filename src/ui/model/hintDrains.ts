/**
 * Hint drains from `hint-deliver` events: a holder replays its hints to an owner in batches; batches
 * less than DRAIN_GAP_MS apart are one drain, shown as "node_0 delivered 11 hints to node_2 in 0.3 s".
 */
import type { ClusterEvent } from '../../core/events'

export interface HintDrain {
  holder: string
  owner: string
  delivered: number
  batches: number
  /** Cluster time of the first and last acknowledged batch. */
  firstMs: number
  lastMs: number
}

export const DRAIN_GAP_MS = 2000
export const DRAINS_MAX = 20

function countOf(detail: string | undefined): number {
  const n = Number.parseInt(detail ?? '', 10)
  return Number.isFinite(n) && n > 0 ? n : 0
}

/** Folds a batch of events into the drain list (the same array when no hint was delivered). */
export function foldHintDelivers(drains: readonly HintDrain[], events: readonly ClusterEvent[]): HintDrain[] {
  let out: HintDrain[] | null = null
  for (const e of events) {
    if (e.type !== 'hint-deliver' || !e.peer) continue
    const n = countOf(e.detail)
    if (n === 0) continue
    out ??= [...drains]
    let i = -1
    for (let j = out.length - 1; j >= 0; j--)
      if (out[j].holder === e.node && out[j].owner === e.peer) {
        i = j
        break
      }
    const d = i >= 0 ? out[i] : null
    if (d && e.t - d.lastMs <= DRAIN_GAP_MS)
      out[i] = { ...d, delivered: d.delivered + n, batches: d.batches + 1, lastMs: Math.max(d.lastMs, e.t) }
    else out.push({ holder: e.node, owner: e.peer, delivered: n, batches: 1, firstMs: e.t, lastMs: e.t })
  }
  return out ? out.slice(-DRAINS_MAX) : (drains as HintDrain[])
}

/** "node_0 delivered 11 hints to node_2 in 0.3 s". */
export function drainText(d: HintDrain): string {
  const what = `${d.holder} delivered ${d.delivered} hint${d.delivered === 1 ? '' : 's'} to ${d.owner}`
  if (d.batches === 1) return `${what} in one batch`
  return `${what} in ${((d.lastMs - d.firstMs) / 1000).toFixed(1)} s (${d.batches} batches)`
}
