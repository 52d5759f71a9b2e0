/**
 * What both runtimes share behind the Cluster API: membership (members, ring, topology), the network
 * fault rules and their transitions, per-link traffic counts, and the client-operation wrappers.
 * A runtime supplies how a write and a read reach a node and how new fault rules reach the network.
 */
import type { RunAntiEntropyOptions } from '../core/antiEntropy/install'
import type { CrdtOp } from '../core/conflict/types'
import { dbError } from '../core/errors'
import { emptyFaults, type FaultState, type LinkRule } from '../core/faults/linkRules'
import type { NodeId } from '../core/ids'
import type { NodeConfig } from '../core/node/nodeConfig'
import { compareVersions } from '../core/replication/version'
import { preferenceList } from '../core/ring/hashRing'
import { type PartitionMap, partitionIdOf, partitionMapOf } from '../core/ring/placement'
import { type RingJson, ringToJson } from '../core/ring/ringJson'
import { SaltTable } from '../core/salting'
import { ConfigPublisher } from './configPublisher'
import { healed, withLink, withPartition } from './faultRules'
import type { Layout } from './handOverLedger'
import { keyArgs, putArgs } from './keyArgs'
import { Membership, type MembershipSnapshot, priorOf } from './membership'
import { movedPartitions } from './moveDiff'
import { type MoveKind, type MoveRecord, type MovesView, MoveTracker } from './moveProgress'
import { resolveNodeRef } from './options'
import { PartitionMetrics } from './partitionMetrics'
import { PartitionMoves } from './partitionMoves'
import { ClusterQueries } from './queries'
import { assertSaltable, checkHotKeys, type HotKeyHost, markHotKey } from './saltRules'
import { TxMethods, txBuffered, txReadResult } from './txMethods'
import type {
  AntiEntropyOptions,
  ClusterInspection,
  NodeSummary,
  OpOptions,
  ReadResult,
  ResolvedClusterOptions,
  ScanPage,
  Topology,
  WriteOptions,
  WriteResult,
} from './types'

export abstract class ClusterBase extends TxMethods {
  protected readonly m: Membership
  protected netFaults: FaultState
  /** Cumulative work messages sent per directed link (`from>to`). */
  readonly traffic: Record<string, number> = {}
  /** Set by shutdown(); from then on every call but shutdown() throws CLUSTER_SHUT_DOWN. */
  protected shutDown = false

  constructor(
    readonly options: ResolvedClusterOptions,
    baseLatencyMs = 0,
  ) {
    super()
    this.m = new Membership(options)
    this.moveLog = new MoveTracker(() => this.clockNowMs())
    this.transferBytesPerSec = options.maxTransferRate
    this.netFaults = emptyFaults(baseLatencyMs)
    const self = this
    this.queries = new ClusterQueries({
      get nodes() {
        return self.nodes
      },
      globalIndexFields: options.globalIndexFields,
      nodeQuery: (ref, q) => this.nodeQuery(ref, q),
      ownersOf: (key) =>
        preferenceList(this.m.ring, key, Math.min(options.replicationFactor, this.m.members.length)),
      write: (ref, key, value, opts) => this.write(ref, key, value, opts),
      readAt: (ref, key, opts) => this.readAt(ref, key, opts),
    })
    this.published = new ConfigPublisher({
      m: this.m,
      sendConfig: (config, except) => this.sendConfig(config, except),
      partitionMap: () => this.getPartitionMap(),
    })
    this.moves = new PartitionMoves({
      m: this.m,
      replicationFactor: this.options.replicationFactor,
      metrics: this.metrics,
      nodes: () => this.nodes,
      scan: (ref, opts) => this.scan(ref, opts),
      startMove: (kind, label, before) => this.startMove(kind, label, before),
      streamMoved: (before, move) => this.streamMoved(before, move),
      publishConfig: () => this.publishConfig(),
      catchUp: (move) => this.catchUp(move),
    })
  }

  /** Sends a write (value) or delete (null) through a node. */
  protected abstract write(
    ref: number | string,
    key: string,
    value: string | null,
    opts: WriteOptions,
  ): Promise<WriteResult>
  /** Sends a read through a node. */
  protected abstract readAt(ref: number | string, key: string, opts: OpOptions): Promise<ReadResult>
  /** Hot-spot counters of client operations (the seed's partition_ops and key_freq). */
  protected readonly metrics = new PartitionMetrics()
  /** Called after the fault rules changed (the worker runtime broadcasts them). */
  protected onFaultsChanged(): void {}
  /** The configuration the nodes were last sent, the node joining, map listeners (configPublisher.ts). */
  protected readonly published: ConfigPublisher

  /** Registers for partition-map pushes (drivers, routers); returns the unsubscribe function. */
  onPartitionMap(listener: (map: PartitionMap) => void): () => void {
    this.assertOpen()
    return this.published.listen(listener)
  }

  /**
   * Pushes the current partition map to every node and to every registered driver and router (the
   * seed's update_partition_map) and returns it. Membership changes, splits, merges and transfers
   * already push each new map once its data is in place; this re-sends it to whoever holds a stale
   * copy. The version is kept: the map itself did not change, so a listener whose copy has the same
   * version takes it again and an older copy is replaced.
   */
  updatePartitionMap(): PartitionMap {
    this.assertOpen()
    this.published.forgetAnnounced() // the map push goes out even when the version is not new
    this.resendPublished()
    return this.getPartitionMap()
  }

  enableForwarding(on: boolean): void {
    this.assertOpen()
    if (typeof on !== 'boolean')
      throw dbError('BAD_INPUT', `enableForwarding takes true or false, got ${JSON.stringify(on)}`)
    this.m.setForwarding(on)
    this.published.push()
  }

  /** The one shutdown guard of both runtimes: throws CLUSTER_SHUT_DOWN once shutdown() was called. */
  protected override assertOpen(): void {
    if (this.shutDown) throw dbError('CLUSTER_SHUT_DOWN', 'this cluster was shut down')
  }

  /** put(ref, key, value, opts?) or, with a composite key, put(ref, pk, ck, value, opts?) (keyArgs.ts). */
  async put(ref: number | string, ...args: unknown[]): Promise<WriteResult> {
    const { key, value, opts } = putArgs(args)
    if (typeof value !== 'string') throw dbError('BAD_INPUT', `values are strings, got ${typeof value}`)
    if (opts.txId !== undefined) return txBuffered(key, await this.txWrite(opts.txId, key, value))
    this.noteOp(key)
    return this.queries.write(ref, this.salts.writeKey(key), value, opts)
  }

  /** An op on a CRDT key; the conflict mode checks it (BAD_INPUT when the key or op does not fit). */
  async applyCrdt(ref: number | string, key: string, op: CrdtOp, opts: OpOptions = {}): Promise<WriteResult> {
    if (typeof op !== 'object' || op === null)
      throw dbError('BAD_INPUT', `a CRDT op is an object like { inc: 1 }, got ${JSON.stringify(op)}`)
    this.noteOp(key)
    return this.write(ref, key, null, { level: opts.level, crdt: op })
  }

  /** delete(ref, key, opts?) or delete(ref, pk, ck, opts?). */
  async delete(ref: number | string, ...args: unknown[]): Promise<WriteResult> {
    const { key, opts } = keyArgs(args)
    if (opts.txId !== undefined) return txBuffered(key, await this.txWrite(opts.txId, key, null))
    this.noteOp(key)
    if (!this.salts.isSalted(key)) return this.queries.write(ref, key, null, opts)
    // A salted key is deleted in every variant; the result is the unsalted key's tombstone.
    const all = this.salts.allKeys(key)
    const results = await Promise.all(all.map((k) => this.write(ref, k, null, opts)))
    return results[results.length - 1]
  }

  /** read(ref, key, opts?) or read(ref, pk, ck, opts?). */
  async read(ref: number | string, ...args: unknown[]): Promise<ReadResult> {
    const { key, opts } = keyArgs(args)
    if (opts.txId !== undefined) return txReadResult(key, await this.txRead(opts.txId, key))
    this.noteOp(key)
    if (!this.salts.isSalted(key) || opts.ignoreSalt) return this.readAt(ref, key, opts)
    const results = await Promise.all(this.salts.allKeys(key).map((k) => this.readAt(ref, k, opts)))
    let best = results[results.length - 1]
    for (const r of results)
      if (r.version && (!best.version || compareVersions(r.version, best.version) > 0)) best = r
    return { ...best, key }
  }

  protected readonly queries: ClusterQueries

  // ---- salting (the seed's enable_salt, mark_hot_key) ----------------------------------------

  protected readonly salts = new SaltTable()

  enableSalt(key: string, buckets: number): void {
    this.assertOpen()
    assertSaltable(this.options, key)
    this.salts.enable(key, buckets)
    this.onSaltsChanged()
  }

  /** Called after a key was salted (the worker runtime passes salts to its node-side workload). */
  protected onSaltsChanged(): void {}

  async markHotKey(key: string, buckets: number, migrate = true): Promise<void> {
    return markHotKey(this.hotKeyHost(), key, buckets, migrate)
  }

  async checkHotKeys(threshold = 4, buckets = 4): Promise<string[]> {
    return checkHotKeys(this.hotKeyHost(), threshold, buckets)
  }

  /** What salting hot keys uses (saltRules.ts). */
  private hotKeyHost(): HotKeyHost {
    return {
      options: this.options,
      salts: this.salts,
      metrics: this.metrics,
      assertOpen: () => this.assertOpen(),
      nodes: () => this.nodes,
      readAt: (ref, key, opts) => this.readAt(ref, key, opts),
      write: (ref, key, value, opts) => this.write(ref, key, value, opts),
      onSaltsChanged: () => this.onSaltsChanged(),
    }
  }

  private noteOp(key: unknown): void {
    if (typeof key === 'string') this.metrics.note(key)
  }

  // ---- hot-spot metrics (the seed's get_partition_stats, get_hot_partitions, get_hot_keys) -----

  /** Client operations per partition id, under the current partition map. */
  getPartitionStats(): Record<number, number> {
    return this.metrics.partitionStats(this.publishedLayout().ring)
  }

  /** Partitions with more than `threshold` × the mean operations per partition. */
  getHotPartitions(threshold = 2.0): number[] {
    if (typeof threshold !== 'number' || !(threshold > 0))
      throw dbError('BAD_INPUT', `threshold must be a number > 0, got ${String(threshold)}`)
    return this.metrics.hotPartitions(this.publishedLayout().ring, threshold)
  }

  /** The `topN` most used keys with their operation counts. */
  getHotKeys(topN = 5): Array<[string, number]> {
    if (!Number.isInteger(topN) || topN < 1)
      throw dbError('BAD_INPUT', `topN must be an integer >= 1, got ${String(topN)}`)
    return this.metrics.hotKeys(topN)
  }

  resetMetrics(): void {
    this.metrics.reset()
  }

  // ---- moving partitions (split, merge, transfer, rebalance; the seed's cluster actions) --------

  /** Cluster-wide cap on hand-over streaming, bytes/s (0 = unlimited). */
  protected transferBytesPerSec: number

  /** Sets maxTransferRate: every later data movement streams at most `bytesPerSec` in all. */
  setMaxTransferRate(bytesPerSec: number): void {
    this.assertOpen()
    if (typeof bytesPerSec !== 'number' || !Number.isFinite(bytesPerSec) || bytesPerSec <= 0)
      throw dbError(
        'BAD_INPUT',
        `maxTransferRate must be a number of bytes per second > 0, got ${String(bytesPerSec)}`,
      )
    this.transferBytesPerSec = bytesPerSec
  }

  /** The cap now, bytes/s (0 = unlimited). */
  getMaxTransferRate(): number {
    return this.transferBytesPerSec
  }

  /** Streams what the membership's current ring moves, from every live node (each runtime's hand-over). */
  protected abstract streamMoved(before: MembershipSnapshot, move: MoveRecord): Promise<void>
  /** Sends `config` to every node but `except` (each runtime's reconfigure). */
  protected abstract sendConfig(config: NodeConfig, except: NodeId | null): void
  /** After a publish or a resend: subscribers hear of it (the simulator at once, workers per frame). */
  protected abstract afterPublish(): void

  /** Pushes the membership's current configuration to every node. */
  protected publishConfig(): void {
    this.published.push()
    this.afterPublish()
  }

  /**
   * The ring and N the nodes were last sent: "the map" of the API (getPartitionMap, getPartitionId,
   * getRing, map pushes). While a move copies, the membership already holds its target, which is not
   * published until its data is in place.
   */
  protected publishedLayout(): Layout {
    return this.published.layout
  }

  /** Sends the published configuration again to every node, and the map to its listeners. */
  protected resendPublished(): void {
    this.published.resend()
    this.afterPublish()
  }

  setTopology(topology: Topology | null): void {
    this.assertOpen()
    this.m.setTopology(topology)
    this.published.push()
  }

  /** Cluster time now (virtual ms in the simulator, epoch ms in the worker runtime). */
  protected abstract clockNowMs(): number

  /** Running and recently finished data movements (progress, totals, ETA). */
  protected readonly moveLog: MoveTracker

  /** Split, merge, transfer, rebalance and the hot/cold checks (partitionMoves.ts). */
  private readonly moves: PartitionMoves

  /** Starts tracking a move from `before` to the membership's current ring. */
  protected startMove(kind: MoveKind, label: string, before: MembershipSnapshot): MoveRecord {
    const after = { ring: this.m.ring, n: Math.min(this.m.config.replicationFactor, this.m.members.length) }
    return this.moveLog.start({
      kind,
      label,
      partitions: movedPartitions(priorOf(before), after),
      mapVersion: this.m.ring.version,
      fromMapVersion: before.ring.version,
      rateBytesPerSec: this.transferBytesPerSec,
    })
  }

  /** Data movements in progress and the last ones finished (also in `inspect()`). */
  getMoves(): MovesView {
    return this.moveLog.view()
  }

  /** `inspect()` without a node: moves, the partition map, the members. */
  protected inspectCluster(): ClusterInspection {
    const { active, recent } = this.moveLog.view()
    return { moves: active, recentMoves: recent, partitionMap: this.getPartitionMap(), nodes: this.nodes }
  }

  /**
   * After a publish: copies what was written under the old map while the rows streamed (the move's
   * catch-up pass, reported into `move`; it never rejects, failures retry through the ledger).
   */
  protected abstract catchUp(move: MoveRecord): Promise<void>

  /** Heals the network; runtimes also resume owed hand-overs (a cut link failed them). */
  protected onHealed(): void {}

  /**
   * Splits partition `pid`. Range: at `splitKey` (default: the median of its stored keys); the rows
   * from `splitKey` on move to the new partition's node (the least loaded) before the map changes.
   * Hash: by the next bit of the key hash (no split key); the new partition is the last id, on the
   * least loaded node, and its rows move there before new writes are redirected to it.
   */
  async splitPartition(
    pid: number,
    splitKey?: string,
  ): Promise<{ left: number; right: number; splitKey?: string }> {
    this.assertOpen()
    return this.moves.split(pid, splitKey)
  }

  /** Merges adjacent range partitions; the survivor is `a`'s owner and the other's rows move there. */
  async mergePartitions(a: number, b: number): Promise<void> {
    this.assertOpen()
    await this.moves.merge(a, b)
  }

  /** Checks an on-demand anti-entropy round's filter: a known peer, a whole range index. */
  protected antiEntropyFilter(opts: AntiEntropyOptions): RunAntiEntropyOptions {
    const out: RunAntiEntropyOptions = {}
    if (opts.peer !== undefined) out.peer = resolveNodeRef(opts.peer, this.m.members)
    if (opts.rangeIndex !== undefined) {
      if (!Number.isInteger(opts.rangeIndex) || opts.rangeIndex < 0)
        throw dbError('BAD_INPUT', `rangeIndex must be a whole number ≥ 0, got ${String(opts.rangeIndex)}`)
      out.rangeIndex = opts.rangeIndex
    }
    return out
  }

  /** Moves partition `pid` (a vnode on the consistent-hash ring) from `src` to `dst`. */
  async transferPartition(src: number | string, dst: number | string, pid: number): Promise<void> {
    this.assertOpen()
    await this.moves.transfer(src, dst, pid)
  }

  /** Evens out partitions per node (the seed's rebalance action). */
  async rebalance(): Promise<void> {
    this.assertOpen()
    await this.moves.rebalance()
  }

  /**
   * Splits every range partition with more than `threshold` × the mean operations and at least
   * `minKeys` distinct keys used, at the median of those keys; resets the metrics. Returns the pids split.
   */
  async checkHotPartitions(threshold = 2.0, minKeys = 2): Promise<number[]> {
    return this.moves.checkHot(this.getHotPartitions(threshold), minKeys)
  }

  /**
   * Merges neighbouring range partitions that both had fewer than `threshold` × the mean operations
   * and at most `maxKeys` distinct keys used; returns the merged pairs.
   */
  async checkColdPartitions(threshold = 0.5, maxKeys = 1): Promise<Array<[number, number]>> {
    return this.moves.checkCold(threshold, maxKeys)
  }

  abstract get nodes(): readonly NodeSummary[]

  protected liveNodeIds(): string[] {
    return this.nodes.filter((n) => n.status === 'up').map((n) => n.id)
  }
  abstract scan(ref: number | string, opts?: { start?: string; limit?: number }): Promise<ScanPage>

  /** Live rows per partition: every live node's rows (paged scans), distinct keys, tombstones excluded. */
  async getPartitionItemCounts(): Promise<Record<number, number>> {
    return this.moves.itemCounts(this.publishedLayout().ring)
  }

  /** get(ref, key, opts?) or get(ref, pk, ck, opts?): the value, or null. */
  async get(ref: number | string, ...args: unknown[]): Promise<string | null> {
    return (await this.read(ref, ...args)).value
  }

  partition(groups: Array<Array<number | string>>): void {
    this.assertOpen()
    this.netFaults = withPartition(this.netFaults, groups, this.m.members)
    this.onFaultsChanged()
  }

  heal(): void {
    this.assertOpen()
    this.netFaults = healed(this.netFaults)
    this.onFaultsChanged()
    this.onHealed()
  }

  setLink(from: number | string, to: number | string, rule: LinkRule): void {
    this.assertOpen()
    this.netFaults = withLink(this.netFaults, from, to, rule, this.m.members)
    this.onFaultsChanged()
  }

  /** The current network fault rules (the dashboard draws them). */
  faults(): FaultState {
    return this.netFaults
  }

  /** The published ring (a running move's target is not it until its data is in place). */
  getRing(): RingJson {
    return ringToJson(this.publishedLayout().ring)
  }

  /** The partition a key lives in: `getPartitionId(pk)` or, for a composite key, `(pk, ck)`. */
  getPartitionId(partitionKey: string, clusteringKey?: string): number {
    if (typeof partitionKey !== 'string') throw dbError('BAD_INPUT', 'the partition key must be a string')
    if (clusteringKey !== undefined && typeof clusteringKey !== 'string')
      throw dbError('BAD_INPUT', 'the clustering key must be a string')
    return partitionIdOf(
      this.publishedLayout().ring,
      clusteringKey === undefined ? partitionKey : `${partitionKey}|${clusteringKey}`,
    )
  }

  /**
   * Every partition, its primary owner and its replicas (the seed's get_partition_map): the published
   * map, what the nodes route by; a running move's target shows in getMoves() until it is published.
   */
  getPartitionMap(): PartitionMap {
    const { ring, n } = this.publishedLayout()
    return partitionMapOf(ring, n)
  }

  get topology(): Topology | null {
    return this.m.topology
  }
}
