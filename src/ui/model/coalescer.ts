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
 * Spacing of store writes for a cluster of `nodes`: 100 ms (the workers' own update period) up to 5
 * nodes, then growing with the node count, because one store write re-renders every node card and
 * link. With 16 worker nodes at 500 ops/s, spacing 100 ms gave frame p95 133–183 ms, 200 ms 67–100
 * ms and 300 ms 50 ms, for the same main-thread CPU (`npm run bench:ui`): the renders are few but
 * long on a 2-core machine where 16 busy workers keep preempting the page. Each write still costs
 * about one late frame there (long-animation-frame entries: the write's rAF callback, 30–100 ms of
 * wall time for ~15 ms of CPU), so the share of late frames is the write rate: 20 ms per node (320
 * ms at 16) gave frame p95 100–133 ms at 1,500 ops/s, 30 ms per node (480 ms) 50–67 ms, alternated
 * in one session (`scripts/probe-frames.mjs`). Capped at 800 ms (32 nodes: 1.25 writes a second).
 */
export function storeApplyIntervalMs(nodes: number): number {
  return nodes <= 5 ? 100 : Math.min(800, 30 * nodes)
}

/**
 * A FrameScheduler that also keeps `intervalMs` between the callbacks it runs: the next frame is
 * requested only once the interval since the last run has passed. Nodes report at 10 Hz each, so
 * with 16 workers a store write landed on every frame and re-rendered the canvas 60 times a second
 * (frame p95 133 ms at 500 ops/s; 83 ms with 100 ms spacing). Pulses are CSS animations and need
 * no store writes in between.
 */
export function throttledFrames(
  intervalMs: number | (() => number),
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
    const waitMs = lastRunMs + (typeof intervalMs === 'function' ? intervalMs() : intervalMs) - nowMs()
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
