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
 * A FrameScheduler that also keeps `intervalMs` between the callbacks it runs: the next frame is
 * requested only once the interval since the last run has passed. Nodes report at 10 Hz each, so
 * with 16 workers a store write landed on every frame and re-rendered the canvas 60 times a second
 * (frame p95 133 ms at 500 ops/s; 83 ms with 100 ms spacing). Pulses are CSS animations and need
 * no store writes in between.
 */
export function throttledFrames(
  intervalMs: number,
  frame: FrameScheduler,
  nowMs: () => number,
  later: (cb: () => void, delayMs: number) => void,
): FrameScheduler {
  let lastRunMs = Number.NEGATIVE_INFINITY
  const run =
    (cb: () => void): (() => void) =>
    () => {
      lastRunMs = nowMs()
      cb()
    }
  return (cb) => {
    const waitMs = lastRunMs + intervalMs - nowMs()
    if (waitMs <= 0) frame(run(cb))
    else later(() => frame(run(cb)), waitMs)
  }
}

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
