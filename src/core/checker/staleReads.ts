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

function latest(ops: CompletedOp[]): CompletedOp | undefined {
  return ops.reduce<CompletedOp | undefined>(
    (best, op) => (best === undefined || op.end > best.end ? op : best),
    undefined,
  )
}

function checkKey(key: string, ops: CompletedOp[]): ReadAnomaly[] {
  const mutations = ops.filter((op) => op.f !== 'read')
  const writeOf = new Map<string, CompletedOp>()
  for (const m of mutations) if (m.f === 'write' && m.value !== null) writeOf.set(m.value, m)
  const anomalies: ReadAnomaly[] = []
  for (const read of ops) {
    if (read.f !== 'read' || read.outcome !== 'ok') continue
    const before = mutations.filter((m) => m.outcome === 'ok' && precedes(m, read))
    if (read.value !== null) {
      const write = writeOf.get(read.value)
      if (!write) anomalies.push({ kind: 'unwritten-read', key, read })
      else if (precedes(read, write)) anomalies.push({ kind: 'future-read', key, read, write })
      else {
        const over = latest(before.filter((x) => x !== write && precedes(write, x)))
        if (over) anomalies.push({ kind: 'stale-read', key, read, returnedWrite: write, supersededBy: over })
      }
      continue
    }
    const unexplained = before.filter(
      (x) =>
        x.f === 'write' &&
        !mutations.some((d) => d.f === 'delete' && d.end >= x.start && d.start <= read.end),
    )
    const over = latest(unexplained)
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
