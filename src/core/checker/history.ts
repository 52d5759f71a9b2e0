/**
 * Jepsen-style operation histories for per-key registers, and their pairing into completed
 * operations. `fail` means the op never happened and is dropped; `info` (or an invoke with no
 * completion) means it may or may not have happened: it is kept with `end = Infinity`, so it is
 * concurrent with everything after its invocation.
 */
import { dbError } from '../errors'

export type OpType = 'invoke' | 'ok' | 'fail' | 'info'
export type OpF = 'read' | 'write' | 'delete'

export interface HistoryOp {
  process: string | number
  type: OpType
  f: OpF
  key: string
  /** Written value on a write's invoke; value read on a read's ok; null for deletes and absent reads. */
  value: string | null
  time: number
}

/** One invocation with its outcome: an interval [start, end] in real time. */
export interface CompletedOp {
  process: string | number
  f: OpF
  key: string
  /** Writes: the value written (from the invoke). Reads: the value returned (from the ok). Deletes: null. */
  value: string | null
  start: number
  /** Completion time; Infinity when indeterminate. */
  end: number
  outcome: 'ok' | 'info'
  /** Position of the invoke in the history, a stable id for reports. */
  index: number
}

/** True for ops that change the register (writes and deletes). */
export function isMutation(op: CompletedOp): boolean {
  return op.f !== 'read'
}

/**
 * Pairs each invoke with the next op of the same process. Drops `fail` ops and indeterminate reads
 * (their value is unknown); indeterminate and never-completed mutations become `outcome: 'info'`.
 */
export function pairOperations(history: readonly HistoryOp[]): CompletedOp[] {
  const open = new Map<string | number, { op: HistoryOp; index: number }>()
  const done: CompletedOp[] = []
  const finish = (
    inv: { op: HistoryOp; index: number },
    end: number,
    outcome: 'ok' | 'info',
    read?: string | null,
  ) => {
    if (inv.op.f === 'read' && outcome === 'info') return
    const value = inv.op.f === 'read' ? (read ?? null) : inv.op.f === 'delete' ? null : inv.op.value
    done.push({
      process: inv.op.process,
      f: inv.op.f,
      key: inv.op.key,
      value,
      start: inv.op.time,
      end,
      outcome,
      index: inv.index,
    })
  }
  history.forEach((op, index) => {
    const pending = open.get(op.process)
    if (op.type === 'invoke') {
      if (pending)
        throw dbError(
          'BAD_INPUT',
          `process ${op.process} invoked op ${index} while op ${pending.index} is open`,
        )
      open.set(op.process, { op, index })
      return
    }
    if (!pending)
      throw dbError('BAD_INPUT', `op ${index}: ${op.type} for process ${op.process} with nothing invoked`)
    if (pending.op.f !== op.f || pending.op.key !== op.key) {
      throw dbError(
        'BAD_INPUT',
        `op ${index}: completion ${op.f} ${op.key} does not match invoke ${pending.index}`,
      )
    }
    open.delete(op.process)
    if (op.type === 'ok') finish(pending, op.time, 'ok', op.value)
    else if (op.type === 'info') finish(pending, Number.POSITIVE_INFINITY, 'info')
  })
  for (const pending of open.values()) finish(pending, Number.POSITIVE_INFINITY, 'info')
  return done.sort((a, b) => a.index - b.index)
}

/** Completed ops grouped by key, each group in invocation order. */
export function opsByKey(ops: readonly CompletedOp[]): Map<string, CompletedOp[]> {
  const byKey = new Map<string, CompletedOp[]>()
  for (const op of ops) {
    const list = byKey.get(op.key)
    if (list) list.push(op)
    else byKey.set(op.key, [op])
  }
  return byKey
}

/** a finished before b began: a precedes b in real time. */
export function precedes(a: CompletedOp, b: CompletedOp): boolean {
  return a.end < b.start
}
