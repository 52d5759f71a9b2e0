/**
 * Coalesces ClusterUpdates between animation frames: the latest snapshot per node wins and events are
 * appended up to a bound (the oldest are dropped and counted). The store is written once per frame.
 */
import type { NodeSnapshot } from '../../cluster/types'
import type { ClusterEvent } from '../../core/events'

export interface CoalescedBatch {
  nodes: Map<string, NodeSnapshot>
  events: ClusterEvent[]
  droppedEvents: number
}

export function emptyBatch(): CoalescedBatch {
  return { nodes: new Map(), events: [], droppedEvents: 0 }
}

/** Merges one update into a batch, keeping at most `eventsMax` events (newest). */
export function mergeUpdate(
  batch: CoalescedBatch,
  update: { nodes: readonly NodeSnapshot[]; events: readonly ClusterEvent[] },
  eventsMax: number,
): CoalescedBatch {
  for (const n of update.nodes) batch.nodes.set(n.id, n)
  for (const e of update.events) batch.events.push(e)
  const over = batch.events.length - eventsMax
  if (over > 0) {
    batch.events.splice(0, over)
    batch.droppedEvents += over
  }
  return batch
}

export type FrameScheduler = (cb: () => void) => void

/**
 * A buffer that calls `apply` at most once per scheduled frame with everything received since.
 * `schedule` is requestAnimationFrame in the page and a manual queue in tests.
 */
export function createFrameCoalescer(
  apply: (batch: CoalescedBatch) => void,
  schedule: FrameScheduler,
  eventsMax = 2000,
): {
  push(update: { nodes: readonly NodeSnapshot[]; events: readonly ClusterEvent[] }): void
  dispose(): void
} {
  let batch: CoalescedBatch | null = null
  let disposed = false
  const flush = (): void => {
    const b = batch
    batch = null
    if (b && !disposed) apply(b)
  }
  return {
    push(update) {
      if (disposed) return
      if (batch === null) {
        batch = emptyBatch()
        schedule(flush)
      }
      mergeUpdate(batch, update, eventsMax)
    },
    dispose() {
      disposed = true
      batch = null
    },
  }
}
