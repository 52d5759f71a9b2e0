/**
 * The narrow view of a node the transaction subsystem needs (DbNode implements it in txHost.ts in
 * node/): identity, time, one Lamport tick, placement, a quorum read, one group commit of rows, and
 * request/response to peers. Nothing else of the node is reachable from core/tx.
 */
import type { Timers } from '../env'
import type { NodeId } from '../ids'
import type { RowVersion } from '../protocol/messages'
import type { Version } from '../replication/version'
import type { StoredPrepare } from './preparedStore'
import type { StoredTxRecord } from './txRecords'
import type { TxPeerBody, TxPeerReply, TxSettings } from './types'

export interface TxHost {
  readonly id: NodeId
  readonly timers: Timers
  nowMs(): number
  settings(): TxSettings
  /** Lamport: notes a version seen, and allocates the next timestamp. */
  observe(v: Version): void
  tick(): number
  /** The key's natural owners (first N distinct nodes on the ring) and W of them that must ack. */
  ownersOf(key: string): NodeId[]
  writeQuorum(): number
  /** True when this node's failure detector takes the peer for up (itself: always). */
  healthy(node: NodeId): boolean
  /** The key's current row as a QUORUM read through this node sees it. */
  quorumRow(key: string): Promise<RowVersion | null>
  /** Writes the rows (where newer, by the conflict rule) in ONE group commit; how many were newer. */
  applyRows(rows: RowVersion[]): Promise<number>
  /** Sends a body to a peer and waits for its reply (rejects with the peer's coded error). */
  request(to: NodeId, body: TxPeerBody, timeoutMs: number): Promise<TxPeerReply>
  /** How long a request to a peer may take (the node's requestTimeoutMs). */
  requestTimeoutMs(): number
  /** Writes a COMMITTED transaction record durably, with `rows` (this node's), in ONE group commit. */
  saveRecord(rec: StoredTxRecord, rows: RowVersion[]): Promise<number>
  /** Deletes a record (lazily: a crash before it only means a harmless re-push of its rows). */
  dropRecord(txId: string): void
  /** The records on disk (at open). */
  loadRecords(): Promise<unknown[]>
  /** Writes a prepare durably (its own group commit, shared with whatever else commits then). */
  savePrepared(p: StoredPrepare): Promise<void>
  /** Deletes a prepare (lazily: a crash before it leaves an entry resolved by asking its record). */
  dropPrepared(txId: string): void
  /** The prepares on disk (at open). */
  loadPrepared(): Promise<unknown[]>
  /** True when keys must not take transactions (a merging conflict mode). */
  transactionsRefused(): string | null
}
