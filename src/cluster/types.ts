/**
 * The Cluster API: the product's scripting interface, identical for the worker runtime (one Web
 * Worker per node) and the simulator runtime (virtual time, in Node or in the page). It mirrors the
 * seed's `NodeCluster` in camelCase.
 */

import type { ExchangeStats } from '../core/antiEntropy/exchangeStats'
import type { ConsistencyMode, CrdtOp, CrdtType } from '../core/conflict/types'
import type { DiskFaults } from '../core/disk/faultyDisk'
import type { DbErrorData } from '../core/errors'
import type { ClusterEvent } from '../core/events'
import type { FaultState, LinkRule } from '../core/faults/linkRules'
import type { NodeId } from '../core/ids'
import type { NodeSnapshotCore } from '../core/node/inspect'
import type { StorageActionResult } from '../core/node/storageControl'
import type { ConsistencyLevel } from '../core/quorum/consistency'
import type { PartitionMap } from '../core/ring/placement'
import type { RingJson } from '../core/ring/ringJson'
import type { CommitResult, NodeTxList, TxIsolation, TxLockStrategy } from '../core/tx/types'
import type { WorkloadSpec, WorkloadTally } from '../core/workload/generator'
import type { TapBatch } from '../core/workload/historyTap'
import type { MoveProgress, MovesView } from './moveProgress'
import type { IndexAnswer, RangeOptions, RecordsPage, RecordTriple } from './queries'

export type { IndexAnswer, RangeOptions, RecordsPage, RecordTriple }

export type RuntimeKind = 'worker' | 'sim'

/** Replication graph: node index → indexes it sends to (the seed's `topology`). Omitted = all-to-all. */
export type Topology = Record<number, number[]>

export interface ClusterOptions {
  runtime?: RuntimeKind
  numNodes: number
  seed?: number
  /** N; defaults to numNodes (every node holds every key, as the seed's multi-leader mode). */
  replicationFactor?: number
  /** W; defaults to floor(N/2)+1. */
  writeQuorum?: number
  /** R; defaults to floor(N/2)+1. */
  readQuorum?: number
  /** Default level for operations that name none; overrides W/R when given. */
  consistency?: ConsistencyLevel
  sloppyQuorum?: boolean
  topology?: Topology
  /**
   * How keys map to partitions (the seed's partition_strategy): 'ring' (default: consistent hashing,
   * `partitionsPerNode` vnodes per node), 'hash' (sha1(partition key) mod `numPartitions`, partition p
   * on node p mod n) or 'range' (`keyRanges`, assigned round-robin).
   */
  partitionStrategy?: 'ring' | 'hash' | 'range'
  /** 'hash' strategy: how many partitions (default 128); fixed after creation, as in the seed. */
  numPartitions?: number
  /** 'range' strategy: [start, end) pairs of the partition key, sorted and contiguous; the last end may be null. */
  keyRanges?: Array<[string, string | null]>
  partitionsPerNode?: number
  /**
   * 'ring' strategy: how vnode tokens are chosen: 'random' (default) or 'balanced' (each token taken
   * from the node owning the most above its share, so every node owns ~1/n of the ring; Cassandra 4's
   * allocator in spirit). Applies to the initial ring and to every addNode.
   */
  tokenAssignment?: 'random' | 'balanced'
  /** Cap on data moved by membership changes, splits, merges and transfers, bytes/s in all (0 = unlimited). */
  maxTransferRate?: number
  /**
   * Who may coordinate a client operation: 'any' node (default, Dynamo style) or only one of the
   * key's 'owner's; a non-owner then answers NOT_OWNER (map version and owners in its details), or
   * forwards the op to an owner when `enableForwarding` is on.
   */
  routing?: 'any' | 'owner'
  /** With routing 'owner': a non-owner forwards the op to an owner and returns its answer (default false). */
  enableForwarding?: boolean
  heartbeatIntervalMs?: number
  heartbeatTimeoutMs?: number
  memtableBytesMax?: number
  tombstoneGraceMs?: number
  /** Largest value, in UTF-8 bytes (default 1 MiB); larger writes fail VALUE_TOO_LARGE. */
  valueBytesMax?: number
  /** Largest key, in UTF-8 bytes (default 4 KiB); longer keys fail BAD_INPUT. */
  keyBytesMax?: number
  hintWindowMs?: number
  /** Hint replay budget per stand-in, bytes per second (Cassandra's hinted_handoff_throttle; default 1 MB/s). */
  hintReplayBytesPerSec?: number
  readRepair?: 'blocking' | 'async' | 'off'
  antiEntropyIntervalMs?: number
  /** Merkle tree depth per token range (leaves = 2^depth); every replica must agree. */
  merkleDepth?: number
  /** log2 of the Merkle tree's arity (2 → 4-ary). */
  merkleArityBits?: number
  timestampSource?: 'lamport' | 'wallclock'
  /**
   * How concurrent writes resolve: 'lww' (default: the newest Lamport version wins, the other is
   * lost), 'vector' (dotted version vectors: concurrent writes become siblings), or 'crdt' (the keys
   * in `crdtConfig` are CRDTs; every other key is LWW).
   */
  consistencyMode?: ConsistencyMode
  /** 'crdt' mode: key → CRDT type ('gcounter', 'pncounter', 'orset', 'lwwregister', 'mvregister'). */
  crdtConfig?: Record<string, CrdtType>
  /** 'vector' mode: siblings per key at most (default 16); past it the oldest merge away (counted). */
  siblingsMax?: number
  /** Worker runtime: keep node databases across page reloads (default true). */
  persist?: boolean
  /** Worker runtime: prefix for the IndexedDB database names. */
  dbPrefix?: string
  /**
   * Fields of JSON-object values each node indexes (the seed's index_fields): queryIndex on one node,
   * secondaryQuery across every live node. Default none.
   */
  indexFields?: string[]
  /**
   * Fields with a global index (the seed's global_index_fields): entries partitioned by (field,
   * value) on the ring, so globalQuery asks only that value's owners. Default none.
   */
  globalIndexFields?: string[]
  /** Rows each node's read cache holds (LRU; the seed's cache_size); 0 = off (default). */
  cacheSize?: number
  /**
   * Transactions (core/tx): 'read-committed' (default; locks only), 'snapshot' (first committer
   * wins; two writers of one key doom each other) or 'serializable' (SSI: a read overwritten by a
   * commit before ours aborts us).
   */
  isolation?: TxIsolation
  /** 'basic' (default): only getForUpdate locks; '2pl': reads take shared and writes exclusive locks. */
  txLockStrategy?: TxLockStrategy
  /** How long a second locker waits before LOCK_TIMEOUT (default 1000 ms). */
  lockTimeoutMs?: number
  /** Locks of a transaction whose coordinator went silent this long are dropped (default 10000 ms). */
  txLeaseMs?: number
  /**
   * Bound of the adaptive batching windows (ms): under load a node's next group commit and next
   * per-peer replicate batch wait up to this long to gather more (0 = off; default 4).
   */
  batchWindowMsMax?: number
}

/** Options after defaults and validation. */
export type ResolvedClusterOptions = Required<
  Omit<ClusterOptions, 'consistency' | 'topology' | 'keyRanges' | 'numPartitions' | 'crdtConfig'>
> & {
  crdtConfig: Record<string, CrdtType>
  consistency?: ConsistencyLevel
  topology?: Topology
  /** Set for the 'hash' strategy only. */
  numPartitions?: number
  /** Set for the 'range' strategy only. */
  keyRanges?: Array<[string, string | null]>
}

/**
 * `failed`: the node could not start (its database did not open: unavailable, corrupt, a boot step
 * timed out). The rest of the cluster runs; the node's snapshot carries the coded `failure`.
 */
export type NodeStatus = 'up' | 'down' | 'paused' | 'failed'
export type { PeerView } from '../core/replication/failureDetector'

export interface NodeSummary {
  id: NodeId
  index: number
  status: NodeStatus
}

/**
 * What a node reports about itself for the dashboard, coalesced (one snapshot per node per frame):
 * the node's own numbers (NodeSnapshotCore: clock, lastSeen, keys, memtable, tables, hints, backlog,
 * peer views) plus what its host knows.
 */
export interface NodeSnapshot extends NodeSnapshotCore {
  id: NodeId
  status: NodeStatus
  clockSkewMs: number
  warning?: string
  /** Why the node is `failed` (its open's coded error). */
  failure?: DbErrorData
}

export interface OpOptions {
  /** Consistency level for this operation; defaults to the cluster's. */
  level?: ConsistencyLevel
  /** Reads of a salted key: read the unsalted key only (the seed's ignore_salt). */
  ignoreSalt?: boolean
  /** Inside this transaction (beginTransaction): writes are buffered until commit, reads see them. */
  txId?: string
}

/** A put or delete's options: in 'vector' mode, the causal `context` a read returned. */
export interface WriteOptions extends OpOptions {
  /** Replaces exactly the siblings this context (from `read`) covers; without it the write adds a sibling. */
  context?: string
  /** Internal: the CRDT op of an applyCrdt. */
  crdt?: CrdtOp
}

export interface WriteResult {
  ok: true
  key: string
  version: { ts: number; node: NodeId }
  /** Replicas that acknowledged (stand-ins marked with the node they stood in for). */
  acks: Array<{ node: NodeId; hintedFor?: NodeId }>
  /** The replication op id (`node_0:17`) its messages carry; absent for a forwarded write. */
  opId?: string
  latencyMs: number
  /** A write inside a transaction: buffered until commit (no version, no acks yet). */
  buffered?: true
}

export interface ReadResult {
  key: string
  /** The winning value; null when absent or deleted. */
  value: string | null
  version: { ts: number; node: NodeId } | null
  /**
   * Concurrent values: in 'vector' mode every sibling with its vector and the node that wrote it
   * (`value` is then the newest sibling's); in LWW mode at most one.
   */
  siblings: Array<{
    value: string | null
    version: { ts: number; node: NodeId }
    vector?: Record<string, number>
    node?: NodeId
  }>
  /** 'vector' mode: the causal context to pass to the next put or delete of this key. */
  context?: string
  /** A CRDT key: its type, merged value and state (`value` holds the value's JSON text). */
  crdt?: { type: CrdtType; value: unknown; state: unknown }
  /**
   * Each replica's answer. For a merging key it also says what that replica held before the merge:
   * `siblings` (vector) or its own CRDT `crdt` value and state (e.g. a G-Counter's per-node entries).
   */
  replies: Array<{
    node: NodeId
    version: { ts: number; node: NodeId } | null
    siblings?: number
    crdt?: { value: unknown; state: unknown }
  }>
  repaired: NodeId[]
  latencyMs: number
}

/** One batch of changes streamed to subscribers (at most one per animation frame in the page). */
export interface ClusterUpdate {
  nodes: NodeSnapshot[]
  events: ClusterEvent[]
}

export interface Cluster {
  readonly runtime: RuntimeKind
  readonly options: ResolvedClusterOptions
  /** Current membership and status; a fresh array after each change. */
  readonly nodes: readonly NodeSummary[]

  /** The seed's composite form: `put(0, 'user1', '001', 'Alice')` stores key `user1|001` (keyArgs.ts). */
  put(
    node: number | string,
    partitionKey: string,
    clusteringKey: string,
    value: string,
    opts?: OpOptions,
  ): Promise<WriteResult>
  put(node: number | string, key: string, value: string, opts?: WriteOptions): Promise<WriteResult>
  /** An op on a CRDT key ('crdt' mode): { inc: n }, { dec: n }, { add: x }, { remove: x }, { set: v }. */
  applyCrdt(node: number | string, key: string, op: CrdtOp, opts?: OpOptions): Promise<WriteResult>
  /**
   * Runs a workload generator on every live node, each coordinating its share of the rate (worker
   * runtime: client operations then never cross the page). Absent where the page drives the workload.
   */
  startWorkload?(spec: WorkloadSpec): Promise<void>
  stopWorkload?(): Promise<void>
  /**
   * Bounds the fraction of the offered rate the node-side generators admit (0–1; 1 = none): the
   * page's frame guard lowers it while its frames run late (ui/workload/frameGuard.ts).
   */
  setWorkloadCeiling?(fraction: number): Promise<void>
  /** Completions, errors and latencies of the node-side workload since the last call. */
  takeWorkloadTally?(): WorkloadTally
  /**
   * The node-side workload's ops since the last call, as checker history (one batch per generator
   * host; keys sampled when the rate is high, core/workload/historyTap.ts).
   */
  takeWorkloadHistory?(): TapBatch[]
  /** The value, or null when absent (the seed's `get`). */
  get(node: number | string, key: string, opts?: OpOptions): Promise<string | null>
  get(
    node: number | string,
    partitionKey: string,
    clusteringKey: string,
    opts?: OpOptions,
  ): Promise<string | null>
  /** `get` with versions, replies and siblings. */
  read(node: number | string, key: string, opts?: OpOptions): Promise<ReadResult>
  read(
    node: number | string,
    partitionKey: string,
    clusteringKey: string,
    opts?: OpOptions,
  ): Promise<ReadResult>
  delete(node: number | string, key: string, opts?: WriteOptions): Promise<WriteResult>
  delete(
    node: number | string,
    partitionKey: string,
    clusteringKey: string,
    opts?: OpOptions,
  ): Promise<WriteResult>

  /**
   * Clustering keys [startCk, endCk] (inclusive, in order) of one partition as [ck, value] pairs,
   * read from R replicas (the LSM's range scan) through `opts.via` (default the first node up):
   * newest version per row, tombstones hidden, stale contacted replicas repaired in the background.
   */
  getRange(
    partitionKey: string,
    startCk: string,
    endCk: string,
    opts?: RangeOptions,
  ): Promise<Array<[string, string]>>
  /**
   * Every live node's rows merged (newest version per key, no tombstones) as [pk, ck | null, value],
   * in key order; `query` keeps records whose key or value contains it; then `offset`, `limit`
   * (default 100). A node that is not up is skipped, not an error.
   */
  listRecords(opts?: { offset?: number; limit?: number; query?: string }): Promise<RecordTriple[]>
  /** `listRecords` with the total matching and which nodes were merged or skipped. */
  listRecordsPage(opts?: { offset?: number; limit?: number; query?: string }): Promise<RecordsPage>
  /** Keys whose JSON `field` is `value` in one node's secondary index (the seed's query_index). */
  queryIndex(node: number | string, field: string, value: unknown): Promise<string[]>
  /**
   * Scatter-gather over every live node's secondary index: the union, sorted. Stale while
   * replication catches up (a node indexes what it holds).
   */
  secondaryQuery(field: string, value: unknown): Promise<string[]>
  secondaryQueryDetails(field: string, value: unknown): Promise<IndexAnswer>
  /** The owner set (N nodes, preference order) of one value's global-index entries. */
  getIndexOwner(field: string, value: unknown): NodeId[]
  /** Keys whose `field` is `value`, from that value's owners only (one range read at a level). */
  globalQuery(field: string, value: unknown, opts?: OpOptions): Promise<string[]>
  globalQueryDetails(field: string, value: unknown, opts?: OpOptions): Promise<IndexAnswer>
  /** Global-index entry writes that failed after their data write succeeded (the next write fixes them). */
  readonly globalIndexErrors: number

  /**
   * Transactions (core/tx): begun on a node, which coordinates them; `put`/`delete`/`get` with
   * `{ txId }` are buffered / see the buffer; commit applies every op atomically on each replica.
   */
  beginTransaction(node: number | string): Promise<string>
  /** Locks the key's row for the transaction (a second locker waits up to lockTimeoutMs) and reads it. */
  getForUpdate(txId: string, key: string): Promise<string | null>
  commitTransaction(txId: string): Promise<CommitResult>
  abortTransaction(txId: string): Promise<void>
  /** Open transactions per live node with their locks, and the locks each node holds as lock owner. */
  listTransactions(): Promise<NodeTxList[]>
  /** Adds `amount` to the integer under `key` atomically (a short locked transaction on `node`). */
  increment(node: number | string, key: string, amount?: number): Promise<string>
  /** Moves `amount` between two integer keys atomically. */
  transfer(node: number | string, fromKey: string, toKey: string, amount: number): Promise<[string, string]>

  kill(node: number | string): Promise<void>
  /**
   * Starts a node that is down (or failed: tries its open again). Concurrent restarts share one boot;
   * a kill during the boot wins and the restart rejects NODE_DOWN. Rejects with the open's coded
   * error when the node fails to start (it is then `failed`).
   */
  restart(node: number | string): Promise<void>
  /**
   * Deletes one node's database and restarts it empty (both runtimes); anti-entropy, hints and pull
   * sync refill it from its peers (the remedy for a node that is `failed` on a corrupt database). In a
   * merging mode the node then signs its writes with a new epoch (ARCHITECTURE.md, "Node epochs").
   */
  rebuildNode?(node: number | string): Promise<void>
  pause(node: number | string): Promise<void>
  resume(node: number | string): Promise<void>

  /** Nodes in different groups cannot exchange messages; nodes in no group form one more group. */
  partition(groups: Array<Array<number | string>>): void
  heal(): void
  /** Sets faults on the directed link from → to (cut, latency, loss, duplication, reordering). */
  setLink(from: number | string, to: number | string, rule: LinkRule): void
  setClockSkew(node: number | string, skewMs: number): void
  /**
   * Storage faults on one node's disk (merged into the current ones; they outlive restarts, as the
   * disk does): slow commits, a rate of failing commits, a disk that fills up, a torn WAL tail on kill.
   * Bad values are BAD_INPUT and change nothing. Resolves with the faults now in effect.
   */
  setDiskFaults(node: number | string, faults: Partial<DiskFaults>): Promise<DiskFaults>

  /** Resolves when no message is in flight or pending (virtual time runs ahead in the simulator). */
  settle(opts?: { timeoutMs?: number }): Promise<void>
  /** Cluster-wide state: data movements in progress (bytes, keys, ETA) and recently finished, the map. */
  inspect(): Promise<ClusterInspection>
  /** A node's internal state as plain JSON. */
  inspect(node: number | string): Promise<NodeInspection>
  /** Data movements in progress and the last ones finished (synchronous; what inspect() reports). */
  getMoves(): MovesView
  subscribe(listener: (update: ClusterUpdate) => void): () => void
  /**
   * Adds a node: it gets the next index, fresh tokens on the ring (about 1/(n+1) of the ring moves to
   * it), the new ring is pushed to every node, and anti-entropy streams it the data it now owns.
   */
  addNode(): Promise<NodeId>
  /** Removes a node from the ring and the cluster (its ranges move to the next nodes). */
  removeNode(node: number | string): Promise<void>
  /** Changes the replication topology while running (null = all-to-all). */
  setTopology(topology: Topology | null): void
  /**
   * Rows one node holds locally, in key order from `start` (tombstones skipped): the data browser.
   * `next` is the key to pass as `start` for the following page, or null at the end.
   */
  scan(node: number | string, opts?: { start?: string; limit?: number }): Promise<ScanPage>
  /** The current network fault rules (partition groups, per-link rules). */
  faults(): FaultState
  /**
   * Runs one Merkle anti-entropy round from a node now (every range with every healthy peer, or only
   * `peer` and/or `rangeIndex`); returns each exchange's figures.
   */
  antiEntropy(node: number | string, opts?: AntiEntropyOptions): Promise<ExchangeStats[]>
  /** Flushes a node's memtable to a level-0 SSTable now (nothing when it is empty). */
  flush(node: number | string): Promise<StorageActionResult>
  /** Compacts every SSTable of a node into its deepest level now (nothing when there is one table). */
  compact(node: number | string): Promise<StorageActionResult>
  /**
   * The published ring (plain JSON: version, partitionsPerNode, [token, node] pairs): what the nodes
   * route by; a running move's target is not it until its data is in place.
   */
  getRing(): RingJson
  /** The partition a key lives in (`pk`, or `pk` and clustering key `ck` of a composite key). */
  getPartitionId(partitionKey: string, clusteringKey?: string): number
  /**
   * Every partition with its primary owner and N replicas, for the current strategy: the published
   * map (while a move copies, the old one; its target shows in getMoves() until it is published).
   */
  getPartitionMap(): PartitionMap
  /** Client operations per partition id (put, get, delete, read), under the current map. */
  getPartitionStats(): Record<number, number>
  /** Partitions with more than `threshold` (default 2) × the mean operations per partition. */
  getHotPartitions(threshold?: number): number[]
  /** The `topN` (default 5) most used keys, [key, operations], most first. */
  getHotKeys(topN?: number): Array<[string, number]>
  /** Live rows per partition id (every live node's rows merged, tombstones excluded). */
  getPartitionItemCounts(): Promise<Record<number, number>>
  /** Zeroes the hot-spot counters. */
  resetMetrics(): void
  /**
   * Splits partition `pid`: a range one at `splitKey` (default the median stored key), a hash one by
   * the next bit of the key hash (into a new last partition); rows move first, then the map.
   */
  splitPartition(pid: number, splitKey?: string): Promise<{ left: number; right: number; splitKey?: string }>
  /** Merges adjacent range partitions into `a`'s owner (its rows move there first). */
  mergePartitions(a: number, b: number): Promise<void>
  /** Moves partition `pid` (a vnode on the ring strategy) from `src` to `dst`, data first. */
  transferPartition(src: number | string, dst: number | string, pid: number): Promise<void>
  /** Evens out partitions per node. */
  rebalance(): Promise<void>
  /** Splits range partitions hotter than `threshold` × the mean with ≥ `minKeys` keys used. */
  checkHotPartitions(threshold?: number, minKeys?: number): Promise<number[]>
  /** Merges neighbouring range partitions colder than `threshold` × the mean with ≤ `maxKeys` keys used. */
  checkColdPartitions(threshold?: number, maxKeys?: number): Promise<Array<[number, number]>>
  /** Salts `key` over `buckets` variants (writes round-robin, reads ask all and keep the newest). */
  enableSalt(key: string, buckets: number): void
  /** Salts `key` now; `migrate` copies its current value into every variant. */
  markHotKey(key: string, buckets: number, migrate?: boolean): Promise<void>
  /** Salts every key with more than `threshold` operations; returns the keys salted. */
  checkHotKeys(threshold?: number, buckets?: number): Promise<string[]>
  /** Caps data movement at `bytesPerSec` in all (> 0). */
  setMaxTransferRate(bytesPerSec: number): void
  /** The cap in force, bytes/s (0 = unlimited). */
  getMaxTransferRate(): number
  /**
   * Pushes the published partition map to every node and to every registered driver and router, and
   * returns it (the seed's update_partition_map; the version is kept, the map did not change; a
   * running move's target is not pushed early).
   */
  updatePartitionMap(): PartitionMap
  /** Calls `listener` with each new partition map once it is published to the nodes; returns unsubscribe. */
  onPartitionMap(listener: (map: PartitionMap) => void): () => void
  /** With routing 'owner': whether non-owners forward client ops to an owner (pushed to every node). */
  enableForwarding(on: boolean): void
  /** Starts a dedicated routing node (its own worker; a routing process in the simulator). */
  startRouter(): Promise<Router>
  /** Pause/resume the whole cluster; in the simulator also speed and single-step. */
  readonly time: TimeControl
  /** The replication topology now (null = all-to-all); changes with setTopology and membership. */
  readonly topology: Topology | null
  /** Cumulative work messages sent per directed link, keyed `from>to` (edge traffic). */
  readonly traffic: Readonly<Record<string, number>>
  /** Stops every node; `deleteData` also deletes the nodes' stored data (IndexedDB databases). */
  shutdown(opts?: { deleteData?: boolean }): Promise<void>
}

/** A router client: every op goes to the router, which sends it to one of the key's owners. */
export interface Router {
  readonly id: string
  /** In 'vector' mode `opts.context` (from a read) replaces the siblings it covers, as Cluster.put. */
  put(key: string, value: string, opts?: WriteOptions): Promise<WriteResult>
  get(key: string, opts?: OpOptions): Promise<string | null>
  read(key: string, opts?: OpOptions): Promise<ReadResult>
  delete(key: string, opts?: WriteOptions): Promise<WriteResult>
  /** An op on a CRDT key ('crdt' mode), as Cluster.applyCrdt. */
  applyCrdt(key: string, op: CrdtOp, opts?: OpOptions): Promise<WriteResult>
  /** The partition map version the router routes by. */
  readonly mapVersion: number
  stop(): Promise<void>
}

export interface ScanPage {
  rows: Array<{ key: string; value: string | null; version: { ts: number; node: NodeId } }>
  next: string | null
}

/** Which exchanges an on-demand anti-entropy round runs (default all). */
export interface AntiEntropyOptions {
  peer?: string
  rangeIndex?: number
}

/** One event a single step ran: its label and, for a message, the link it crossed. */
export interface StepEvent {
  /** "deliver replicate node_1 → node_2", "timer on node_0". */
  text: string
  from?: string
  to?: string
  /** Message type, for a delivery. */
  msg?: string
}

/** What one single step ran: the virtual instant and the event (its label, "deliver put node_0 → node_1"). */
export interface StepInfo {
  tMs: number
  ran: string[]
  events: StepEvent[]
}

export interface TimeControl {
  readonly kind: 'virtual' | 'real'
  readonly paused: boolean
  /** Cluster time now: virtual ms in the simulator, epoch ms (as the events' `t`) in the worker runtime. */
  readonly nowMs: number
  /** Virtual ms per real ms (simulator only; 1 for the worker runtime). */
  readonly speed: number
  pause(): void
  resume(): void
  setSpeed(speed: number): void
  /** Runs the events of the next instant (simulator only; null when none ran or in real time). */
  step(): Promise<StepInfo | null>
}

/** What `inspect()` without a node returns. */
export interface ClusterInspection {
  /** Data movements running now (add/remove node, split, merge, transfer, rebalance). */
  moves: MoveProgress[]
  /** The last finished ones, newest first, with `durationMs`. */
  recentMoves: MoveProgress[]
  partitionMap: PartitionMap
  nodes: readonly NodeSummary[]
}

export interface NodeInspection {
  id: NodeId
  status: NodeStatus
  snapshot: NodeSnapshot | null
  [section: string]: unknown
}

export type { DbErrorData }
