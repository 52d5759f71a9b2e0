/**
 * Applying received ops under the node's conflict mode, exactly once: one op (`applyNew`, behind `DbNode.applyOp`), or a
 * peer's batch of ops in one go (`applyBatch`).
 *
 * A replica gets ops in batches (one replicate message per coordinator tick), and applying each through its own chain of promises (apply, read, group-commit
 * waiter, cleanup) made promises and closures a top allocation site of a busy worker. Here every op
 * whose stored version is known from memory (`engine.peek`: memtables, Bloom filters, cached blocks
 * — the common case) is checked and staged synchronously, and all of them join ONE group commit with
 * ONE waiter. The rest (duplicates still in flight, versions only on disk) take `applyOp`'s path.
 * Same rules as applyOp: exactly once per op, check-then-write atomic within the tick.
 */
import type { NodeId, OpId } from '../ids'
import type { Op } from '../replication/version'
import type { StoredRecord } from '../storage/engine'
import type { ApplyOutcome, DbNode } from './dbNode'
import { opRecord } from './rows'
import type { GroupPart } from './writeGroups'

type StagedPart = Required<Pick<GroupPart, 'records' | 'logEntries' | 'dots'>>

/** Applies one new op (not seen, not in flight): read its key's version, stage it, commit. */
export async function applyNew(node: DbNode, op: Op, from: NodeId | null): Promise<ApplyOutcome> {
  node.clock.receive(op.version.ts)
  const read = node.versions.stored(op.key)
  // The pending versions are consulted right after the read settles: check-then-write stays atomic.
  const part: StagedPart = { records: [], logEntries: [], dots: [] }
  const newer = stageOp(node, op, from, read instanceof Promise ? await read : read, part)
  await node.groups.add(part)
  node.noteApplied(op, newer, from, newer ? undefined : 'older version')
  if (part.logEntries.length > 0) node.stream.kick()
  return newer ? 'applied' : 'discarded'
}

/**
 * The synchronous half of applying a received op, given its stored record: the conflict mode
 * resolves it against the stored and in-flight rows, then its row, log entry and dot join `part` (the caller commits
 * it in this same tick, so check-then-write stays atomic). True when the op's row is newer.
 */
function stageOp(
  node: DbNode,
  op: Op,
  from: NodeId | null,
  stored: StoredRecord | undefined,
  part: StagedPart,
): boolean {
  node.clock.receive(op.version.ts)
  const current = node.versions.newestOf(op.key, stored)
  const record = node.conflict.resolve(op.key, current, opRecord(op))
  const newer = record !== null
  if (record) {
    node.versions.writing(op.key, record)
    part.records.push({ key: op.key, record })
  }
  const logEntry = node.replog.append(op, node.logTargets(op, from))
  if (logEntry) part.logEntries.push(logEntry)
  part.dots.push({ origin: op.origin, seq: op.seq })
  return newer
}

/** Each op's outcome, or the error that kept it from being applied (in the batch's order). */
export type BatchResult = ApplyOutcome | { error: unknown }

export function applyBatch(node: DbNode, ops: readonly Op[], from: NodeId): Promise<BatchResult[]> {
  const results: Array<BatchResult | Promise<BatchResult>> = new Array(ops.length)
  const part: StagedPart = { records: [], logEntries: [], dots: [] }
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
    newer.push(stageOp(node, op, from, stored, part))
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
        node.noteApplied(ops[i], newer[k], from, newer[k] ? undefined : 'older version')
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
