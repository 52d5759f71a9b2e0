/**
 * A simulated node's life: its incarnations (boot, kill, restart, rebuild), pause and resume, and
 * the storage faults injected into its disk. Each incarnation gets its own NodeEnv over virtual
 * time; a kill ends the incarnation, so its timers, deliveries and pending client calls die with it.
 */

import { describeDiskFaults, TORN_TAIL_DETAIL } from '../cluster/diskFaultText'
import { type KillSwitch, killSwitch } from '../cluster/killSwitch'
import type { NodeStatus } from '../cluster/types'
import { type DiskFaults, FaultyDisk, mergeDiskFaults, NO_DISK_FAULTS } from '../core/disk/faultyDisk'
import { MemoryDisk } from '../core/disk/memoryDisk'
import type { NodeEnv } from '../core/env'
import { dbError } from '../core/errors'
import type { ClusterEvent } from '../core/events'
import { type NodeId, nodeIndex } from '../core/ids'
import { DbNode, type EngineFactory, type OpenOptions } from '../core/node/dbNode'
import type { NodeConfig } from '../core/node/nodeConfig'
import type { Message } from '../core/protocol/messages'
import { type Random, seededRandom } from '../core/random'
import type { Simulator } from './simulator'

export interface SimNode {
  id: NodeId
  index: number
  disk: MemoryDisk
  node: DbNode | null
  status: NodeStatus
  incarnation: number
  skewMs: number
  /** Deliveries and timers held while the node is paused. */
  held: Array<() => void>
  /** Rejects the client calls this incarnation is coordinating when it is killed. */
  killed: KillSwitch
  /** Injected storage faults (they outlive restarts: same disk) and this incarnation's view of them. */
  diskFaults: DiskFaults
  faulty: FaultyDisk | null
}

/** A node that is up, with its DbNode. */
export type LiveSimNode = SimNode & { node: DbNode }

/** A down node with a fresh memory disk named `${dbPrefix}-${id}`. */
export function newSimNode(id: NodeId, dbPrefix: string): SimNode {
  return {
    id,
    index: nodeIndex(id),
    disk: new MemoryDisk(`${dbPrefix}-${id}`),
    node: null,
    status: 'down',
    incarnation: 0,
    skewMs: 0,
    held: [],
    killed: killSwitch(),
    diskFaults: { ...NO_DISK_FAULTS },
    faulty: null,
  }
}

/** Runs `fn` for a node's incarnation: dropped if it died since, held while it is paused. */
export function onNode(s: SimNode, incarnation: number, fn: () => void): void {
  if (s.incarnation !== incarnation || s.status === 'down') return
  if (s.status === 'paused') s.held.push(fn)
  else fn()
}

/** What a node's lifecycle uses of the cluster. */
export interface SimLifecycleHost {
  readonly sim: Simulator
  readonly seed: number
  readonly dbPrefix: string
  /** The network's random stream (each incarnation forks its own from it). */
  readonly netRandom: Random
  readonly createEngine: EngineFactory
  /** The configuration a (re)booted node opens with: the one last published. */
  publishedConfig(): NodeConfig
  transmit(from: NodeId, to: NodeId, msg: Message): void
  record(e: ClusterEvent): void
  drive<T>(p: Promise<T>): Promise<T>
  /** Starts the hand-over the node owes (the ledger's pay; not awaited). */
  payOwed(id: NodeId): void
  flushUpdates(): void
}

export class SimLifecycle {
  constructor(private readonly host: SimLifecycleHost) {}

  private envFor(s: SimNode): NodeEnv<Message> {
    const host = this.host
    const sim = host.sim
    const incarnation = s.incarnation
    const alive = (): boolean => s.incarnation === incarnation && s.status !== 'down'
    let timerSeq = 0
    const cancelled = new Set<number>()
    // Its own stream (not a fork of the network's), so injecting no fault leaves every seed's run as it was.
    const faulty = new FaultyDisk(
      s.disk,
      {
        random: seededRandom((host.seed * 7919 + s.index * 131 + s.incarnation) >>> 0),
        sleep: (ms) => new Promise((r) => sim.schedule(ms, r)),
      },
      s.diskFaults,
    )
    s.faulty = faulty
    return {
      id: s.id,
      clock: { nowMs: () => sim.nowMs + s.skewMs },
      timers: {
        set: (delayMs, fn) => {
          const h = ++timerSeq
          sim.schedule(
            delayMs,
            () =>
              onNode(s, incarnation, () => {
                if (!cancelled.delete(h)) fn()
              }),
            () => ({ text: `timer on ${s.id}` }),
          )
          return h
        },
        clear: (h) => void cancelled.add(h),
      },
      random: host.netRandom.fork(),
      disk: faulty,
      transport: { send: (to, msg) => alive() && host.transmit(s.id, to, msg) },
      emit: (e) => host.record(e),
    }
  }

  /** Opens the node with the published configuration (a joining node: the one being moved to). */
  async boot(
    s: SimNode,
    config: NodeConfig = this.host.publishedConfig(),
    opts: OpenOptions = {},
  ): Promise<void> {
    s.incarnation++
    s.status = 'up'
    try {
      s.node = await DbNode.open(this.envFor(s), config, this.host.createEngine, opts)
    } catch (e) {
      // A node whose disk fails while it opens (an injected fault) stays down; restart retries.
      this.stopIncarnation(s)
      const why = e instanceof Error ? e.message : String(e)
      this.host.record({
        t: this.host.sim.nowMs,
        type: 'node-status',
        node: s.id,
        detail: `down: could not open (${why})`,
      })
      throw e
    }
    this.host.record({ t: this.host.sim.nowMs, type: 'node-status', node: s.id, detail: 'up' })
  }

  async kill(s: SimNode): Promise<void> {
    if (s.status === 'down') return
    const torn = await s.faulty?.crash()
    this.stopIncarnation(s)
    this.host.record({ t: this.host.sim.nowMs, type: 'node-status', node: s.id, detail: 'down' })
    if (torn)
      this.host.record({ t: this.host.sim.nowMs, type: 'disk-fault', node: s.id, detail: TORN_TAIL_DETAIL })
    this.host.flushUpdates()
  }

  /** Ends the node's incarnation: its timers, deliveries and pending client calls die with it. */
  stopIncarnation(s: SimNode): void {
    s.node?.stop()
    s.node = null
    s.status = 'down'
    s.held = []
    s.incarnation++
    s.killed.reject(
      dbError(
        'NODE_DOWN',
        `${s.id} was killed before it answered; the operation may or may not have happened`,
      ),
    )
    s.killed = killSwitch()
  }

  async restart(s: SimNode): Promise<void> {
    if (s.status !== 'down') return
    await this.host.drive(this.boot(s))
    // Maps published while it was down moved ranges it may hold the only copy of: hand them over.
    this.host.payOwed(s.id)
    this.host.flushUpdates()
  }

  /**
   * Deletes one node's disk and restarts it empty (as the worker runtime's rebuild): anti-entropy,
   * hints and pull sync refill it from its peers. Its injected disk faults stay (same device).
   */
  async rebuild(s: SimNode): Promise<void> {
    if (s.status !== 'down') await this.kill(s)
    await s.disk.destroy()
    s.disk = new MemoryDisk(`${this.host.dbPrefix}-${s.id}`)
    await this.host.drive(this.boot(s))
    this.host.record({ t: this.host.sim.nowMs, type: 'node-status', node: s.id, detail: 'rebuilt empty' })
    this.host.payOwed(s.id)
    this.host.flushUpdates()
  }

  pause(s: SimNode): void {
    if (s.status === 'up') s.status = 'paused'
    this.host.record({ t: this.host.sim.nowMs, type: 'node-status', node: s.id, detail: s.status })
  }

  resume(s: SimNode): void {
    if (s.status !== 'paused') return
    s.status = 'up'
    const held = s.held
    s.held = []
    for (const fn of held) this.host.sim.schedule(0, fn)
    this.host.record({ t: this.host.sim.nowMs, type: 'node-status', node: s.id, detail: 'up' })
    this.host.payOwed(s.id)
  }

  /** Merges `faults` into the node's injected storage faults (they outlive restarts: same disk). */
  setDiskFaults(s: SimNode, faults: Partial<DiskFaults>): DiskFaults {
    s.diskFaults = mergeDiskFaults(s.diskFaults, faults)
    s.faulty?.setFaults(s.diskFaults)
    this.host.record({
      t: this.host.sim.nowMs,
      type: 'disk-fault',
      node: s.id,
      detail: describeDiskFaults(s.diskFaults),
    })
    return { ...s.diskFaults }
  }
}
