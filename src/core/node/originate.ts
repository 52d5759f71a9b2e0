/**
 * Originating a write on its coordinator (`DbNode.originate`): the op's seq is allocated in the same
 * tick it joins a group commit, so a crash can only lose seqs nobody saw. A merging write (vector,
 * CRDT) first builds the key's new state from the one held here (stored, in flight, hinted).
 */
import type { PreparedWrite } from '../conflict/types'
import { type NodeId, opId } from '../ids'
import type { Op } from '../replication/version'
import type { KeyedRecord, StoredRecord } from '../storage/engine'
import type { DbNode } from './dbNode'
import { opRecord } from './rows'

export async function originateOp(
  node: DbNode,
  key: string,
  value: string | null,
  store: boolean,
  hintedFor?: NodeId,
  write?: PreparedWrite | null,
): Promise<Op> {
  // A merging write (vector, CRDT) builds on the state held here and is always stored here too, so
  // this node's next write of the key covers this one (its dots stay contiguous; conflict/dvv.ts).
  const keep = store || !!write
  // With Lamport clocks every row this node holds (stored or in flight) was merged into its clock
  // on the way in, so the new version wins without a storage read; wall clocks must compare.
  // The stored row from memory when the engine can answer (the common case: no promise, no tick).
  let current: StoredRecord | undefined
  if (keep && (write || !node.clock.ticksPastAllSeen)) {
    const stored = node.versions.stored(key)
    current = node.versions.newestOf(key, stored instanceof Promise ? await stored : stored)
  }
  const seq = ++node.ownSeq
  const ts = node.clock.tick()
  let opValue = value
  if (write) {
    let held = current
    for (const h of node.hints.forKey(key)) held = node.conflict.resolve(key, held, opRecord(h)) ?? held
    opValue = node.conflict.build(key, held, write, node.actor, ts)
  }
  const op: Op = {
    id: opId(node.id, seq),
    origin: node.id,
    seq,
    key,
    value: opValue,
    tombstone: opValue === null,
    version: { ts, node: node.id },
    writtenAtMs: node.env.clock.nowMs(),
  }
  const record = keep ? node.conflict.resolve(key, current, opRecord(op)) : null
  const newer = record !== null
  const records: KeyedRecord[] = []
  if (record) {
    node.versions.writing(key, record)
    records.push({ key, record })
  }
  const diskOps = []
  const logEntry = node.replog.append(op, node.logTargets(op, null))
  const hintPut = hintedFor ? node.hints.add(hintedFor, op, node.env.clock.nowMs()) : null
  if (hintPut) diskOps.push(hintPut)
  const applying = node.groups.add({
    records,
    diskOps,
    dots: [{ origin: node.id, seq }],
    logEntries: logEntry ? [logEntry] : [],
  })
  node.inflightOps.set(op.id, applying)
  try {
    await applying
  } finally {
    node.inflightOps.delete(op.id)
  }
  if (keep) node.noteApplied(op, newer, null, newer ? 'local write' : 'older than stored (clock skew)')
  if (hintPut) node.emit({ type: 'hint-store', peer: hintedFor, opId: op.id, key })
  // No kick: the coordinator sends the op to its replicas itself (batched per peer) right after.
  return op
}
