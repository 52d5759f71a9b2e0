/**
 * Transactions: the calls a transaction's coordinator node takes from the Cluster API, and the
 * bodies it exchanges with lock owners and replicas (carried by the `tx` / `tx-resp` messages).
 */
import type { DbErrorData } from '../errors'
import type { NodeId } from '../ids'
import type { RowVersion } from '../protocol/messages'
import type { Version } from '../replication/version'

/**
 * 'read-committed' (default): locks only; 'snapshot': every read at one MVCC snapshot, first
 * committer wins; 'serializable': snapshot plus SSI's check of the read set.
 */
export type TxIsolation = 'read-committed' | 'snapshot' | 'serializable'
/** 'basic': only getForUpdate locks; '2pl': every read takes a shared lock and every write an exclusive one. */
export type TxLockStrategy = 'basic' | '2pl'
export type LockMode = 'S' | 'X'

export interface TxSettings {
  isolation: TxIsolation
  lockStrategy: TxLockStrategy
  /** How long a locker waits for a lock held by another transaction before LOCK_TIMEOUT. */
  lockTimeoutMs: number
  /**
   * A transaction not heard from for this long (its coordinator died) loses its locks; one that
   * prepared asks its record holder first, and keeps them while the record is COMMITTED unapplied.
   */
  leaseMs: number
  /** A COMMITTED record that reached W replicas per key is kept at most this long for the rest. */
  recordTtlMs: number
}

export const TX_DEFAULTS: TxSettings = {
  isolation: 'read-committed',
  lockStrategy: 'basic',
  lockTimeoutMs: 1000,
  leaseMs: 10_000,
  recordTtlMs: 3 * 60 * 60 * 1000,
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
  /** Its MVCC snapshot timestamp, once its first read fixed it ('snapshot'/'serializable'). */
  snapshotTs?: number
}

export type TxState = 'open' | 'committing' | 'failed' | 'committed' | 'aborted'

/**
 * A transaction record's state at its holder (the lock owner of the transaction's smallest written
 * key): PENDING from its prepare there, COMMITTED once durable (the commit point), ABORTED when a
 * lock owner whose lease ran out asked first. 'none': no record here (never prepared, or already
 * applied at every replica and dropped): nothing of it is pending anywhere.
 */
export type TxRecordState = 'pending' | 'committed' | 'aborted' | 'none'

/** A record as listTransactions shows it at its holder. */
export interface TxRecordView {
  txId: string
  state: Exclude<TxRecordState, 'none'>
  /** Keys the transaction writes. */
  keys: string[]
  /** Replicas that acknowledged its rows, of all that hold one. */
  acked: NodeId[]
  replicas: NodeId[]
  /** Set when the holder itself pushed the rows (its coordinator went silent or a replica missed them). */
  rolledForward?: boolean
  decidedMs?: number
  /** Applied at every replica and dropped (kept in view among the holder's most recent ones). */
  done?: boolean
}

/** What a record holder answers a lock owner or coordinator that asks about a transaction. */
export interface TxRecordStatus {
  state: TxRecordState
  /** COMMITTED and every key has W acks: its lock owners may release. */
  resolved: boolean
}

/** One node's share of listTransactions(): transactions begun here, and locks held here as lock owner. */
export interface NodeTxList {
  node: NodeId
  transactions: TxView[]
  locks: TxLockView[]
  /** Transaction records held here (this node is the lock owner of their first written key). */
  records: TxRecordView[]
}

export interface CommitResult {
  txId: string
  committed: true
  /** The version every row of the transaction carries. */
  version: Version
  rows: number
  /**
   * 'quorum': every key reached W replicas before the answer. 'record': the commit is decided (its
   * record is COMMITTED, durably) but some key has fewer than W acks yet; the record's holder rolls
   * the rows forward to the rest.
   */
  durable: 'quorum' | 'record'
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

/**
 * A transaction's priority for deadlock avoidance (wound-wait): its first begin's Lamport time and
 * node. Smaller = older; an older locker wounds a younger holder, a younger one waits.
 */
export interface TxPriority {
  ts: number
  node: NodeId
}

/** Coordinator → a key's lock owner, or → a replica (`apply`), or → a record holder. */
export type TxPeerBody =
  /** Take a lock (waiting up to lockTimeoutMs), then read the key's row (at `snap`, if given). */
  | { kind: 'lock'; txId: string; key: string; mode: LockMode; prio?: TxPriority; snap?: SnapshotAsk }
  /** Read the key's current row at its lock owner, or its row at snapshot `snap` (renews the lease). */
  | { kind: 'read'; txId: string; key: string; snap?: SnapshotAsk }
  /**
   * Moves a transaction's snapshot forward to `ts` (a later read found its history too short): ok
   * when none of the keys it read here changed since (the versions it saw are still current).
   */
  | { kind: 'refresh'; txId: string; ts: number; items: Array<{ key: string; version: Version | null }> }
  /** Snapshot/serializable write intent: a second writer of the key dooms both. */
  | { kind: 'intent'; txId: string; key: string }
  /**
   * Lock every item, then check each `expect`ed version is still current. `record`: the node
   * holding the transaction's record (the one to ask about its outcome); it opens it PENDING.
   */
  | {
      kind: 'prepare'
      txId: string
      items: PrepareItem[]
      record?: NodeId
      prio?: TxPriority
      /** The transaction's snapshot timestamp (once fixed): a write of a key changed after it aborts. */
      readTs?: number
    }
  /** Drops the transaction's locks (and its queued waits, which fail with `reason`). */
  | { kind: 'release'; txId: string; reason?: DbErrorData }
  /** To the record holder: these replicas applied the transaction's rows. */
  | { kind: 'acked'; txId: string; nodes: NodeId[] }
  /** All of a transaction's rows this replica holds, applied in one group commit. */
  | { kind: 'apply'; txId: string; rows: RowVersion[] }
  /** To the record holder: make the record COMMITTED (durably) with all of the rows. */
  | { kind: 'decide'; txId: string; rows: RowVersion[] }
  /** To the record holder: the transaction's outcome. `expired`: the asker's lease ran out. */
  | { kind: 'status'; txId: string; expired: boolean }
  /** Lock owner → the coordinator: an older transaction took a lock this one held (wound-wait). */
  | { kind: 'wounded'; txId: string; by: string; key: string }

/**
 * A snapshot read's timestamp as the coordinator asks it: `fixed` once an earlier read fixed it;
 * before that the lock owner may raise it to its own clock (the snapshot is taken at the first read).
 */
export interface SnapshotAsk {
  ts: number
  fixed: boolean
}

/** What a lock owner served a snapshot read at, and its incarnation (a restart forgets reads). */
export interface SnapshotServed {
  ts: number
  epoch: string
}

export interface PrepareItem {
  key: string
  mode: LockMode
  /** The version the transaction saw (null: no row); absent = nothing to validate. */
  expect?: Version | null
}

export type TxPeerReply =
  | { row: RowVersion | null; snap?: SnapshotServed }
  /** `proposedTs`: a snapshot-mode prepare's commit-timestamp proposal (the commit takes the max). */
  | { ok: true; proposedTs?: number }
  | { applied: number }
  | { record: TxRecordStatus }
  /** The record is COMMITTED; `appliedHere`: the holder's own rows went in the same write. */
  | { decided: true; appliedHere: boolean }
