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
import type { OpOptions, ReadResult, ResolvedClusterOptions, Topology, WriteResult } from './types'

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
  abstract read(ref: number | string, key: string, opts?: OpOptions): Promise<ReadResult>
  /** Called after the fault rules changed (the worker runtime broadcasts them). */
  protected onFaultsChanged(): void {}
  /** Called after the node configuration changed outside membership (forwarding): push it. */
  protected onConfigChanged(): void {}
  private readonly mapListeners = new Set<(map: PartitionMap) => void>()
  private publishedMapVersion = -1

  /** Registers for partition-map pushes (drivers, routers); returns the unsubscribe function. */
  onPartitionMap(listener: (map: PartitionMap) => void): () => void {
    this.assertOpen()
    if (typeof listener !== 'function') throw dbError('BAD_INPUT', 'onPartitionMap needs a function')
    this.mapListeners.add(listener)
    return () => this.mapListeners.delete(listener)
  }

  /** Tells map listeners about the current map when its version is new (runtimes call it after a push). */
  protected publishPartitionMap(): void {
    if (this.m.ring.version === this.publishedMapVersion) return
    this.publishedMapVersion = this.m.ring.version
    if (this.mapListeners.size === 0) return
    const map = this.getPartitionMap()
    for (const l of this.mapListeners) l(map)
  }

  enableForwarding(on: boolean): void {
    this.assertOpen()
    if (typeof on !== 'boolean')
      throw dbError('BAD_INPUT', `enableForwarding takes true or false, got ${JSON.stringify(on)}`)
    this.m.setForwarding(on)
    this.onConfigChanged()
  }

  /** The one shutdown guard of both runtimes: throws CLUSTER_SHUT_DOWN once shutdown() was called. */
  protected assertOpen(): void {
    if (this.shutDown) throw dbError('CLUSTER_SHUT_DOWN', 'this cluster was shut down')
  }

  async put(ref: number | string, key: string, value: string, opts: OpOptions = {}): Promise<WriteResult> {
    if (typeof value !== 'string') throw dbError('BAD_INPUT', `values are strings, got ${typeof value}`)
    return this.write(ref, key, value, opts)
  }

  async delete(ref: number | string, key: string, opts: OpOptions = {}): Promise<WriteResult> {
    return this.write(ref, key, null, opts)
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
