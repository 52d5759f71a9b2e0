/**
 * Transactions: the calls a transaction's coordinator node takes from the Cluster API, and the
 * bodies it exchanges with lock owners and replicas (carried by the `tx` / `tx-resp` messages).
 */
import type { DbErrorData } from '../errors'
import type { NodeId } from '../ids'
import type { RowVersion } from '../protocol/messages'
import type { Version } from '../replication/version'

/** 'read-committed' (default): locks only; 'snapshot': first committer wins; 'serializable': SSI. */
export type TxIsolation = 'read-committed' | 'snapshot' | 'serializable'
/** 'basic': only getForUpdate locks; '2pl': every read takes a shared lock and every write an exclusive one. */
export type TxLockStrategy = 'basic' | '2pl'
export type LockMode = 'S' | 'X'

export interface TxSettings {
  isolation: TxIsolation
  lockStrategy: TxLockStrategy
  /** How long a locker waits for a lock held by another transaction before LOCK_TIMEOUT. */
  lockTimeoutMs: number
  /** Locks of a transaction not heard from for this long are dropped (its coordinator died). */
  leaseMs: number
}

export const TX_DEFAULTS: TxSettings = {
  isolation: 'read-committed',
  lockStrategy: 'basic',
  lockTimeoutMs: 1000,
  leaseMs: 10_000,
}

/** A Cluster API call on the transaction's coordinator node (the node it began on). */
export type TxCall =
  | { op: 'begin' }
  | { op: 'write'; txId: string; key: string; value: string | null }
  | { op: 'read'; txId: string; key: string; forUpdate: boolean }
  | { op: 'commit'; txId: string }
  | { op: 'abort'; txId: string }
  | { op: 'list' }
  | { op: 'increment'; key: string; amount: number }
  | { op: 'transfer'; fromKey: string; toKey: string; amount: number }

export interface TxLockView {
  key: string
  txId: string
  mode: LockMode
}

export interface TxView {
  txId: string
  state: TxState
  /** Buffered writes (value null = delete). */
  writes: Array<{ key: string; value: string | null }>
  /** Locks the transaction holds, and at which node. */
  locks: Array<{ key: string; mode: LockMode; owner: NodeId }>
  startedMs: number
  failure?: DbErrorData
}

export type TxState = 'open' | 'committing' | 'failed' | 'committed' | 'aborted'

/** One node's share of listTransactions(): transactions begun here, and locks held here as lock owner. */
export interface NodeTxList {
  node: NodeId
  transactions: TxView[]
  locks: TxLockView[]
}

export interface CommitResult {
  txId: string
  committed: true
  /** The version every row of the transaction carries. */
  version: Version
  rows: number
}

export type TxAnswer<C extends TxCall> = C extends { op: 'begin' }
  ? string
  : C extends { op: 'read' }
    ? string | null
    : C extends { op: 'commit' }
      ? CommitResult
      : C extends { op: 'list' }
        ? NodeTxList
        : C extends { op: 'increment' }
          ? string
          : C extends { op: 'transfer' }
            ? [string, string]
            : null

/** Coordinator → a key's lock owner, or → a replica (`apply`). */
export type TxPeerBody =
  /** Take a lock (waiting up to lockTimeoutMs), then read the key's current row. */
  | { kind: 'lock'; txId: string; key: string; mode: LockMode }
  /** Read the key's current row at its lock owner (renews the lease). */
  | { kind: 'read'; txId: string; key: string }
  /** Snapshot/serializable write intent: a second writer of the key dooms both. */
  | { kind: 'intent'; txId: string; key: string }
  /** Lock every item, then check each `expect`ed version is still current. */
  | { kind: 'prepare'; txId: string; items: PrepareItem[] }
  | { kind: 'release'; txId: string }
  /** All of a transaction's rows this replica holds, applied in one group commit. */
  | { kind: 'apply'; txId: string; rows: RowVersion[] }

export interface PrepareItem {
  key: string
  mode: LockMode
  /** The version the transaction saw (null: no row); absent = nothing to validate. */
  expect?: Version | null
}

export type TxPeerReply = { row: RowVersion | null } | { ok: true } | { applied: number }
