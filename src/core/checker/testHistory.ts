/** Test helper: builds histories from compact [process, f, key, value, start, end, outcome] rows. */
import type { HistoryOp, OpF } from './history'

export type OpRow = [
  process: number,
  f: OpF,
  key: string,
  value: string | null,
  start: number,
  end?: number,
  outcome?: 'ok' | 'fail' | 'info',
]

/** Invoke/completion pairs in time order; reads carry their value on the completion only. */
export function historyOf(rows: readonly OpRow[]): HistoryOp[] {
  const events: Array<HistoryOp & { order: number }> = []
  rows.forEach(([process, f, key, value, start, end, outcome = 'ok'], i) => {
    events.push({
      process,
      type: 'invoke',
      f,
      key,
      value: f === 'read' ? null : value,
      time: start,
      order: 2 * i,
    })
    if (end !== undefined) {
      const completionValue = f === 'read' && outcome === 'ok' ? value : f === 'read' ? null : value
      events.push({ process, type: outcome, f, key, value: completionValue, time: end, order: 2 * i + 1 })
    }
  })
  return events.sort((a, b) => a.time - b.time || a.order - b.order).map(({ order: _, ...op }) => op)
}
