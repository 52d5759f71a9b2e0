/**
 * The configuration the nodes were last sent, the same in both runtimes. A move changes the
 * membership first and publishes only once its data is in place, so "the map" of the API is this
 * one, not the membership's; a restart mid-change boots with it, and a node joining keeps the map
 * it was booted with (the one being moved to) when the published one is sent again. Listeners
 * (drivers, routers) hear each new map version once.
 */
import { dbError } from '../core/errors'
import type { NodeId } from '../core/ids'
import type { NodeConfig } from '../core/node/nodeConfig'
import type { PartitionMap } from '../core/ring/placement'
import type { Layout } from './handOverLedger'
import type { Membership } from './membership'

/** What publishing uses of the cluster. */
export interface ConfigPublisherHost {
  readonly m: Membership
  /** Sends `config` to every node but `except` (the runtime's reconfigure). */
  sendConfig(config: NodeConfig, except: NodeId | null): void
  /** The published partition map, as listeners get it. */
  partitionMap(): PartitionMap
}

export class ConfigPublisher {
  /**
   * The node joining now (addNode): it takes no client operation until its map is published. It
   * coordinates with the new map, so a write it acknowledged at N = 1 lived only on it, and a join
   * rolled back deleted it (the elastic sweep's seed 3).
   */
  joining: NodeId | null = null
  private last: { config: NodeConfig; layout: Layout }
  private readonly mapListeners = new Set<(map: PartitionMap) => void>()
  private announcedVersion = -1

  constructor(private readonly host: ConfigPublisherHost) {
    this.last = { config: host.m.config, layout: this.current() }
  }

  /** The configuration last sent. */
  get config(): NodeConfig {
    return this.last.config
  }

  /** The ring and N last sent. */
  get layout(): Layout {
    return this.last.layout
  }

  /** The membership's ring and N now (a running move's target). */
  current(): Layout {
    const { m } = this.host
    return { ring: m.ring, n: Math.min(m.config.replicationFactor, m.members.length) }
  }

  /** Sends the current configuration (members, ring, topology) to every node. */
  push(): void {
    const { m } = this.host
    this.last = { config: m.config, layout: this.current() }
    this.host.sendConfig(m.config, null)
    this.announceMap()
  }

  /** Sends the published configuration again, to every node but the joining one. */
  resend(): void {
    this.host.sendConfig(this.last.config, this.joining)
    this.announceMap()
  }

  /** Registers for partition-map pushes; returns the unsubscribe function. */
  listen(listener: (map: PartitionMap) => void): () => void {
    if (typeof listener !== 'function') throw dbError('BAD_INPUT', 'onPartitionMap needs a function')
    this.mapListeners.add(listener)
    return () => this.mapListeners.delete(listener)
  }

  /** The next announcement goes out even when the map's version is not new (updatePartitionMap). */
  forgetAnnounced(): void {
    this.announcedVersion = -1
  }

  /** Tells map listeners about the published map when its version is new. */
  private announceMap(): void {
    const version = this.last.layout.ring.version
    if (version === this.announcedVersion) return
    this.announcedVersion = version
    if (this.mapListeners.size === 0) return
    const map = this.host.partitionMap()
    for (const l of this.mapListeners) l(map)
  }
}
