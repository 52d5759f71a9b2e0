/**
 * Pushing a prepared holder (CockroachDB's "push" of a transaction record): wound-wait cannot simply
 * wound a transaction that has prepared at a lock owner — it may be past its commit point — so an
 * older locker blocked by one asks its record holder to abort the record if it is still PENDING (no
 * decide yet, nothing applied anywhere). ABORTED: the holder refuses any later decide or prepare of
 * it, so the lock owner may drop its locks and wound it (`TX_DEADLOCK` to its client). COMMITTED, or
 * mid-decide: the locker waits — the holder's outcome is on its way, and its rows come first.
 */
import type { NodeId } from '../ids'
import type { TxPeerBody, TxPeerReply } from './types'

/** True when the record of `txId` at `holder` is (now) ABORTED; false for COMMITTED, mid-decide, or no answer. */
export async function pushRecord(
  send: (to: NodeId, body: TxPeerBody) => Promise<TxPeerReply>,
  holder: NodeId,
  txId: string,
): Promise<boolean> {
  // `expired`: the same question a lock owner whose lease ran out asks — a PENDING record aborts.
  const reply = await send(holder, { kind: 'status', txId, expired: true }).catch(() => null)
  return reply !== null && 'record' in reply && reply.record.state === 'aborted'
}
