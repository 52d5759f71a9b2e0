/**
 * How many events each worker may post per update. The page decodes every event it is sent, and with
 * 16 workers at 200 events per update that decoding alone kept the main thread busy (16 nodes at
 * 500 ops/s: frame p95 183 ms, 50 ms with no events at all; `npm run bench:ui`). The timeline shows a
 * sample anyway, and traffic is counted exactly elsewhere, so the budget is per cluster: about
 * CLUSTER_EVENTS_PER_SECOND in all, split across the nodes.
 */
export const CLUSTER_EVENTS_PER_SECOND = 1000

export interface EventBudget {
  /** Events of any kind per update. */
  total: number
  /** Of which message events (send, deliver, drop: the canvas pulses). */
  messages: number
  /** Of which per-op events (apply, discard), so rarer kinds (hints, repairs, status) keep room. */
  perOp: number
}

export function eventBudget(nodes: number, updatesPerSecond: number): EventBudget {
  const share = Math.floor(CLUSTER_EVENTS_PER_SECOND / updatesPerSecond / Math.max(1, nodes))
  const total = Math.min(200, Math.max(4, share))
  return { total, messages: Math.max(1, Math.floor(total / 4)), perOp: Math.max(2, Math.floor(total / 2)) }
}

/**
 * How often a worker posts its update to the page: 100 ms up to 10 nodes, 10 ms per node beyond.
 * The page decodes every update and writes its store only every 20 ms per node anyway
 * (storeApplyIntervalMs), so bigger clusters report less often; the event budget per update grows
 * to match, keeping about CLUSTER_EVENTS_PER_SECOND in all.
 */
export function updateIntervalMs(nodes: number): number {
  return Math.max(100, 10 * nodes)
}
