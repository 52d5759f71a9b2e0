/** Test helper: builds histories from compact [process, f, key, value, start, end, outcome] rows. */
import { seededRandom } from '../random'
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

/** A random register history: unique write values, reads that return any value written so far. */
export function randomHistory(seed: number, processes = 4, opsPerProcess = 12, keys = 3): HistoryOp[] {
  const rnd = seededRandom(seed)
  const rows: Array<{ op: HistoryOp; order: number }> = []
  let n = 0
  const written: Record<string, Array<{ value: string; start: number }>> = {}
  const plan: Array<{
    p: number
    f: 'read' | 'write' | 'delete'
    key: string
    start: number
    end: number
    out: string
    value: string | null
  }> = []
  for (let p = 0; p < processes; p++) {
    let t = rnd.int(5)
    for (let i = 0; i < opsPerProcess; i++) {
      const start = t + rnd.int(4)
      const end = start + 1 + rnd.int(6)
      t = end + 1
      const roll = rnd.next()
      const f = roll < 0.45 ? 'read' : roll < 0.9 ? 'write' : 'delete'
      const o = rnd.next()
      const out = o < 0.8 ? 'ok' : o < 0.9 ? 'fail' : o < 0.97 ? 'info' : 'open'
      const key = `k${rnd.int(keys)}`
      const value = f === 'write' ? `v${n++}` : null
      if (value !== null) {
        written[key] ??= []
        written[key].push({ value, start })
      }
      plan.push({ p, f, key, start, end, out, value })
      if (out === 'open') break // an op never completed is its process's last
    }
  }
  for (const x of plan) {
    const value = x.value
    rows.push({ op: { process: x.p, type: 'invoke', f: x.f, key: x.key, value, time: x.start }, order: 0 })
    if (x.out === 'open') continue
    let got: string | null = value
    if (x.f === 'read') {
      const cands = (written[x.key] ?? []).filter((w) => w.start <= x.end)
      got = cands.length === 0 || rnd.next() < 0.15 ? null : cands[rnd.int(cands.length)].value
    }
    const type = x.f === 'read' && x.out === 'info' ? 'fail' : (x.out as 'ok' | 'fail' | 'info')
    rows.push({ op: { process: x.p, type, f: x.f, key: x.key, value: got, time: x.end }, order: 1 })
  }
  // Time order; a process's own ops never overlap, so pairing stays per process.
  return rows.sort((a, b) => a.op.time - b.op.time || a.order - b.order).map((r) => r.op)
}
