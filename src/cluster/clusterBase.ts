/**
 * What both runtimes share behind the Cluster API: membership (members, ring, topology), the network
 * fault rules and their transitions, per-link traffic counts, and the client-operation wrappers.
 * A runtime supplies how a write and a read reach a node and how new fault rules reach the network.
 */
import { dbError } from '../core/errors'
import { emptyFaults, type FaultState, type LinkRule } from '../core/faults/linkRules'
import { type PartitionMap, partitionIdOf, partitionMapOf } from '../core/ring/placement'
import { type RingJson, ringToJson } from '../core/ring/ringJson'
import { healed, withLink, withPartition } from './faultRules'
import { Membership } from './membership'
import { PartitionMetrics } from './partitionMetrics'
import type {
  NodeSummary,
  OpOptions,
  ReadResult,
  ResolvedClusterOptions,
  ScanPage,
  Topology,
  WriteResult,
} from './types'

export abstract class ClusterBase {
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
    this.m = new Membership(options)
    this.netFaults = emptyFaults(baseLatencyMs)
  }

  /** Sends a write (value) or delete (null) through a node. */
  protected abstract write(
    ref: number | string,
    key: string,
    value: string | null,
    opts: OpOptions,
  ): Promise<WriteResult>
  /** Sends a read through a node. */
  protected abstract readAt(ref: number | string, key: string, opts: OpOptions): Promise<ReadResult>
  /** Hot-spot counters of client operations (the seed's partition_ops and key_freq). */
  protected readonly metrics = new PartitionMetrics()
  /** Called after the fault rules changed (the worker runtime broadcasts them). */
  protected onFaultsChanged(): void {}

  /** The one shutdown guard of both runtimes: throws CLUSTER_SHUT_DOWN once shutdown() was called. */
  protected assertOpen(): void {
    if (this.shutDown) throw dbError('CLUSTER_SHUT_DOWN', 'this cluster was shut down')
  }

  async put(ref: number | string, key: string, value: string, opts: OpOptions = {}): Promise<WriteResult> {
    if (typeof value !== 'string') throw dbError('BAD_INPUT', `values are strings, got ${typeof value}`)
    this.noteOp(key)
    return this.write(ref, key, value, opts)
  }

  async delete(ref: number | string, key: string, opts: OpOptions = {}): Promise<WriteResult> {
    this.noteOp(key)
    return this.write(ref, key, null, opts)
  }

  async read(ref: number | string, key: string, opts: OpOptions = {}): Promise<ReadResult> {
    this.noteOp(key)
    return this.readAt(ref, key, opts)
  }

  private noteOp(key: unknown): void {
    if (typeof key === 'string') this.metrics.note(key)
  }

  // ---- hot-spot metrics (the seed's get_partition_stats, get_hot_partitions, get_hot_keys) -----

  /** Client operations per partition id, under the current partition map. */
  getPartitionStats(): Record<number, number> {
    return this.metrics.partitionStats(this.m.ring)
  }

  /** Partitions with more than `threshold` × the mean operations per partition. */
  getHotPartitions(threshold = 2.0): number[] {
    if (typeof threshold !== 'number' || !(threshold > 0))
      throw dbError('BAD_INPUT', `threshold must be a number > 0, got ${String(threshold)}`)
    return this.metrics.hotPartitions(this.m.ring, threshold)
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

  abstract get nodes(): readonly NodeSummary[]
  abstract scan(ref: number | string, opts?: { start?: string; limit?: number }): Promise<ScanPage>

  /** Live rows per partition: every live node's rows (paged scans), distinct keys, tombstones excluded. */
  async getPartitionItemCounts(): Promise<Record<number, number>> {
    const ring = this.m.ring
    const keys = new Set<string>()
    for (const n of this.nodes) {
      if (n.status !== 'up') continue
      let start: string | undefined
      for (;;) {
        const page = await this.scan(n.id, { start, limit: 1000 })
        for (const r of page.rows) keys.add(r.key)
        if (page.next === null) break
        start = page.next
      }
    }
    const out: Record<number, number> = {}
    for (let pid = 0; pid < ring.vnodes.length; pid++) out[pid] = 0
    for (const k of keys) {
      try {
        out[partitionIdOf(ring, k)]++
      } catch {}
    }
    return out
  }

  async get(ref: number | string, key: string, opts: OpOptions = {}): Promise<string | null> {
    return (await this.read(ref, key, opts)).value
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

  getRing(): RingJson {
    return ringToJson(this.m.ring)
  }

  /** The partition a key lives in: `getPartitionId(pk)` or, for a composite key, `(pk, ck)`. */
  getPartitionId(partitionKey: string, clusteringKey?: string): number {
    if (typeof partitionKey !== 'string') throw dbError('BAD_INPUT', 'the partition key must be a string')
    if (clusteringKey !== undefined && typeof clusteringKey !== 'string')
      throw dbError('BAD_INPUT', 'the clustering key must be a string')
    return partitionIdOf(
      this.m.ring,
      clusteringKey === undefined ? partitionKey : `${partitionKey}|${clusteringKey}`,
    )
  }

  /** Every partition, its primary owner and its replicas (the seed's get_partition_map). */
  getPartitionMap(): PartitionMap {
    return partitionMapOf(this.m.ring, Math.min(this.options.replicationFactor, this.m.members.length))
  }

  get topology(): Topology | null {
    return this.m.topology
  }
}
