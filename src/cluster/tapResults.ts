/** How the workload tap (core/workload/historyTap.ts) reads a coordinator's write and read outcomes. */
import type { ReadOutcome, WriteOutcome } from '../core/node/coordinator'
import type { TapResults } from '../core/workload/historyTap'
import { compactValue, HistoryTap } from '../core/workload/historyTap'
import { toReadResult } from './results'

export const workloadTapResults: TapResults = {
  write(r) {
    const w = r as WriteOutcome
    return {
      version: w.version,
      acks: w.acks.map((a) => (a.hintedFor ? { node: a.node, hintedFor: a.hintedFor } : { node: a.node })),
      ...(w.opId ? { opId: w.opId } : {}),
    }
  },
  read(r) {
    const x = toReadResult(r as ReadOutcome)
    return {
      value: x.value === null ? null : compactValue(x.value),
      version: x.version ?? undefined,
      replies: x.replies.map((p) => ({ node: p.node, version: p.version })),
    }
  },
}

/**
 * A node worker's tap: tagged with the node and the worker's start (ids restart with the worker);
 * Date.now, because every thread reads that clock alike (to 1 ms), as the page's recorder does.
 */
export function workerTap(nodeId: string): HistoryTap {
  return new HistoryTap({
    tag: `${nodeId.replace('node_', 'n')}.${Date.now().toString(36)}`,
    sampleEvery: 1,
    nowMs: () => Date.now(),
    results: workloadTapResults,
  })
}
