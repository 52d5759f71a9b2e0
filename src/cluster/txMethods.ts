/**
 * The Cluster API's transaction methods, both runtimes: each call runs on the transaction's
 * coordinator (the node it began on; its id is the txId's prefix) as a `tx` node query; increment
 * and transfer run whole on node `ref` (core/tx/atomicOps.ts).
 */
import { dbError, isDbError } from '../core/errors'
import type { NodeId } from '../core/ids'
import type { CommitResult, NodeTxList, TxAnswer, TxCall } from '../core/tx/types'
import { QueryMethods } from './queryMethods'
import type { ReadResult, WriteResult } from './types'

export abstract class TxMethods extends QueryMethods {
  /** Live node ids (listTransactions asks each). */
  protected abstract liveNodeIds(): string[]

  private async txCall<C extends TxCall>(ref: number | string, call: C): Promise<TxAnswer<C>> {
    this.assertOpen()
    try {
      return (await this.nodeQuery(ref, { type: 'tx', call })) as TxAnswer<C>
    } catch (e) {
      // A txId naming no member: the transaction is unknown (not a bad node reference of the caller).
      if ('txId' in call && isDbError(e) && e.code === 'UNKNOWN_NODE')
        throw dbError('TX_UNKNOWN', `no transaction ${JSON.stringify(call.txId)}`, { txId: call.txId })
      throw e
    }
  }

  /** Starts a transaction coordinated by node `ref`; returns its txId. */
  beginTransaction(ref: number | string): Promise<string> {
    return this.txCall(ref, { op: 'begin' })
  }

  /** Buffers a put (value) or delete (null) in the transaction (the `{ txId }` form of put/delete). */
  protected async txWrite(txId: string, key: string, value: string | null): Promise<null> {
    return this.txCall(coordinatorOf(txId), { op: 'write', txId, key, value })
  }

  /** Reads in the transaction: its own writes first, else the key's row at its lock owner. */
  protected async txRead(txId: string, key: string): Promise<string | null> {
    return this.txCall(coordinatorOf(txId), { op: 'read', txId, key, forUpdate: false })
  }

  /** Locks the key's row for this transaction (waiting up to lockTimeoutMs) and reads it. */
  async getForUpdate(txId: string, key: string): Promise<string | null> {
    return this.txCall(coordinatorOf(txId), { op: 'read', txId, key, forUpdate: true })
  }

  /** Validates and applies every buffered op atomically on each replica; TX_CONFLICT etc. when refused. */
  async commitTransaction(txId: string): Promise<CommitResult> {
    return this.txCall(coordinatorOf(txId), { op: 'commit', txId })
  }

  /** Discards the transaction's buffered ops and releases its locks. */
  async abortTransaction(txId: string): Promise<void> {
    await this.txCall(coordinatorOf(txId), { op: 'abort', txId })
  }

  /** Open transactions per live node, with their locks, and the locks each node holds as lock owner. */
  async listTransactions(): Promise<NodeTxList[]> {
    this.assertOpen()
    const out: NodeTxList[] = []
    for (const id of this.liveNodeIds()) {
      try {
        out.push(await this.txCall(id, { op: 'list' }))
      } catch {}
    }
    return out
  }

  /** Adds `amount` to the integer under `key` (absent = 0) atomically, on node `ref`; the new value. */
  increment(ref: number | string, key: string, amount = 1): Promise<string> {
    return this.txCall(ref, { op: 'increment', key, amount })
  }

  /** Moves `amount` from the integer under `fromKey` to the one under `toKey` atomically. */
  transfer(ref: number | string, fromKey: string, toKey: string, amount: number): Promise<[string, string]> {
    return this.txCall(ref, { op: 'transfer', fromKey, toKey, amount })
  }
}

/** The coordinator node of a transaction: its id is the txId up to the last ':'. */
export function coordinatorOf(txId: unknown): string {
  const at = typeof txId === 'string' ? txId.lastIndexOf(':') : -1
  if (typeof txId !== 'string' || at <= 0)
    throw dbError(
      'TX_UNKNOWN',
      `no transaction ${JSON.stringify(txId)}: use the id beginTransaction returned`,
      {
        txId,
      },
    )
  return txId.slice(0, at)
}

/** The WriteResult of a put/delete buffered in a transaction (version 0: it has none until commit). */
export function txBuffered(key: string, _: null): WriteResult {
  return { ok: true, key, version: { ts: 0, node: '' as NodeId }, acks: [], latencyMs: 0, buffered: true }
}

/** The ReadResult of a read inside a transaction. */
export function txReadResult(key: string, value: string | null): ReadResult {
  return { key, value, version: null, siblings: [], replies: [], repaired: [], latencyMs: 0 }
}
