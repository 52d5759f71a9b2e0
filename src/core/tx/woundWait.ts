/**
 * Deadlock avoidance across lock owners: wound-wait on each transaction's begin priority (its first
 * begin's Lamport time, then node id — Spanner's rule). A locker OLDER than a holder wounds it (the
 * holder aborts with TX_DEADLOCK, its locks go); a YOUNGER one waits. Waits only go young → old, so
 * no cycle of waits can form between unprepared transactions, whichever owners hold their locks.
 * A holder that already prepared at this owner may be past its commit point: it is pushed instead
 * (push.ts) — wounded only once its record holder aborted its still-PENDING record.
 */
import type { NodeId } from '../ids'
import type { TxPriority } from './types'

/** The priority a txId carries when its body names none (`node:lamport`). */
export function priorityOfId(txId: string): TxPriority {
  const at = txId.lastIndexOf(':')
  return { ts: Number(txId.slice(at + 1)) || 0, node: txId.slice(0, at) as NodeId }
}

/** True when `a` began before `b` (ties by node id). */
export function olderThan(a: TxPriority, b: TxPriority): boolean {
  return a.ts !== b.ts ? a.ts < b.ts : a.node < b.node
}

/** The node coordinating `txId` (its id's prefix). */
export function coordinatorOf(txId: string): NodeId {
  return txId.slice(0, txId.lastIndexOf(':')) as NodeId
}
