/**
 * Stale-read detector for per-key registers with unique write values (as Jepsen generates them).
 *
 * Real-time order: op a precedes op b when a completed before b was invoked (a.end < b.start);
 * equal times count as concurrent. A successful read R of key k is:
 * - stale, returning v ≠ null, when some acknowledged mutation X (write or delete) of k precedes R
 *   while the write of v precedes X: X overwrote v before R began, so no linearization lets R see v;
 * - stale, returning null, when some acknowledged write X of k precedes R and no delete D of k (ok or
 *   indeterminate) can fall between them, i.e. none with D.end ≥ X.start and D.start ≤ R.end;
 * - an unwritten read when v was never written (or only by failed writes);
 * - a future read when v's write was invoked after R completed.
 */
import { type CompletedOp, opsByKey, precedes } from './history'

export interface StaleRead {
  kind: 'stale-read'
  key: string
  read: CompletedOp
  /** The write whose value R returned; absent for a null read. */
  returnedWrite?: CompletedOp
  /** The acknowledged mutation that had overwritten the returned state before R began (the latest). */
  supersededBy: CompletedOp
}

export interface ImpossibleRead {
  kind: 'unwritten-read' | 'future-read'
  key: string
  read: CompletedOp
  write?: CompletedOp
}

export type ReadAnomaly = StaleRead | ImpossibleRead

/** Ok mutations sorted by (end, index): those preceding a read form a prefix. */
function byEnd(mutations: readonly CompletedOp[]): CompletedOp[] {
  return mutations.filter((m) => m.outcome === 'ok').sort((a, b) => a.end - b.end || a.index - b.index)
}

/** How many of `sorted` ended before `t` (they precede an op starting at t). */
function endedBefore(sorted: readonly CompletedOp[], t: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid].end < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The latest-ending op among the first `n` of `sorted` that satisfies `pred` (the first in
 * invocation order among equal ends), scanning back from the latest: usually a few steps.
 */
function latestWhere(sorted: readonly CompletedOp[], n: number, pred: (x: CompletedOp) => boolean) {
  let best = -1
  for (let i = n - 1; i >= 0; i--) {
    const x = sorted[i]
    if (best >= 0 && x.end < sorted[best].end) break
    if (pred(x)) best = i
  }
  return best >= 0 ? sorted[best] : undefined
}

function checkKey(key: string, ops: CompletedOp[]): ReadAnomaly[] {
  const mutations = ops.filter((op) => op.f !== 'read')
  const writeOf = new Map<string, CompletedOp>()
  for (const m of mutations) if (m.f === 'write' && m.value !== null) writeOf.set(m.value, m)
  const deletes = mutations.filter((m) => m.f === 'delete')
  const acked = byEnd(mutations)
  const anomalies: ReadAnomaly[] = []
  for (const read of ops) {
    if (read.f !== 'read' || read.outcome !== 'ok') continue
    const n = endedBefore(acked, read.start)
    if (read.value !== null) {
      const write = writeOf.get(read.value)
      if (!write) anomalies.push({ kind: 'unwritten-read', key, read })
      else if (precedes(read, write)) anomalies.push({ kind: 'future-read', key, read, write })
      else {
        const over = latestWhere(acked, n, (x) => x !== write && precedes(write, x))
        if (over) anomalies.push({ kind: 'stale-read', key, read, returnedWrite: write, supersededBy: over })
      }
      continue
    }
    const over = latestWhere(
      acked,
      n,
      (x) => x.f === 'write' && !deletes.some((d) => d.end >= x.start && d.start <= read.end),
    )
    if (over) anomalies.push({ kind: 'stale-read', key, read, supersededBy: over })
  }
  return anomalies
}

/** Every stale, unwritten or future read in the history, in invocation order of the reads. */
export function findStaleReads(ops: readonly CompletedOp[]): ReadAnomaly[] {
  const out: ReadAnomaly[] = []
  for (const [key, keyOps] of opsByKey(ops)) out.push(...checkKey(key, keyOps))
  return out.sort((a, b) => a.read.index - b.read.index)
}
