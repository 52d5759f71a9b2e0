/**
 * Applying a peer's batch of ops in one go. A replica gets ops in batches (one replicate message per
 * coordinator tick), and applying each through its own chain of promises (apply, read, group-commit
 * waiter, cleanup) made promises and closures a top allocation site of a busy worker. Here every op
 * whose stored version is known from memory (`engine.peek`: memtables, Bloom filters, cached blocks
 * — the common case) is checked and staged synchronously, and all of them join ONE group commit with
 * ONE waiter. The rest (duplicates still in flight, versions only on disk) take `applyOp`'s path.
 * Same rules as applyOp: exactly once per op, LWW check-then-write atomic within the tick.
 */
import type { NodeId, OpId } from '../ids'
import type { Op } from '../replication/version'
import type { ApplyOutcome, DbNode } from './dbNode'
import type { GroupPart } from './writeGroups'

/** Each op's outcome, or the error that kept it from being applied (in the batch's order). */
export type BatchResult = ApplyOutcome | { error: unknown }

export function applyBatch(node: DbNode, ops: readonly Op[], from: NodeId): Promise<BatchResult[]> {
  const results: Array<BatchResult | Promise<BatchResult>> = new Array(ops.length)
  const part: Required<Pick<GroupPart, 'records' | 'logEntries' | 'dots'>> = {
    records: [],
    logEntries: [],
    dots: [],
  }
  const staged: number[] = []
  const newer: boolean[] = []
  /** Second copies of an op staged earlier in this batch: duplicates once its commit lands. */
  const copies: number[] = []
  let stagedIds: Set<OpId> | null = null
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]
    if (stagedIds?.has(op.id)) {
      copies.push(i)
      continue
    }
    const stored =
      node.dots.has(op.origin, op.seq) || node.inflightOps.has(op.id) ? null : node.versions.stored(op.key)
    if (stored === null || stored instanceof Promise) {
      results[i] = node.applyOp(op, from).catch((error: unknown) => ({ error }))
      continue
    }
    newer.push(node.stageOp(op, from, stored, part))
    staged.push(i)
    stagedIds ??= new Set()
    stagedIds.add(op.id)
  }
  if (staged.length === 0) return Promise.all(results)
  const durable = node.groups.add(part)
  for (const i of staged) node.inflightOps.set(ops[i].id, durable)
  const settle = (error?: unknown): Promise<BatchResult[]> => {
    for (const i of staged) node.inflightOps.delete(ops[i].id)
    staged.forEach((i, k) => {
      if (error !== undefined) results[i] = { error }
      else {
        node.noteApplied(ops[i], from, newer[k])
        results[i] = newer[k] ? 'applied' : 'discarded'
      }
    })
    for (const i of copies) {
      if (error === undefined) node.stats.duplicates++
      results[i] = error === undefined ? 'duplicate' : { error }
    }
    if (error === undefined && part.logEntries.length > 0) node.stream.kick()
    return Promise.all(results)
  }
  return durable.then(
    () => settle(),
    (e: unknown) => settle(e ?? new Error('commit failed')),
  )
}
