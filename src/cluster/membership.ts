/**
 * Cluster membership shared by both runtimes: the members, the ring and the topology, and the pure
 * transitions add/remove node and set topology. Each returns the NodeConfig to push to every node.
 */
import { dbError } from '../core/errors'
import { type NodeId, nodeId, nodeIndex } from '../core/ids'
import type { NodeConfig } from '../core/node/nodeConfig'
import { seededRandom } from '../core/random'
import type { HashRing } from '../core/ring/hashRing'
import { placementAddNode, placementRemoveNode } from '../core/ring/placement'
import { initialRing, NUM_NODES_MAX, nodeConfigFor, topologyFor } from './options'
import type { ResolvedClusterOptions, Topology } from './types'

export interface MembershipSnapshot {
  members: NodeId[]
  ring: HashRing
  topology: Topology | null
  config: NodeConfig
}

/** The ring and N a change moves away from (what the hand-over compares against). */
export function priorOf(s: MembershipSnapshot): { ring: HashRing; n: number } {
  return { ring: s.ring, n: Math.min(s.config.replicationFactor, s.members.length) }
}

export class Membership {
  members: NodeId[]
  ring: HashRing
  topology: Topology | null
  config: NodeConfig
  /** enableForwarding as set now (cluster.enableForwarding). */
  private forwarding: boolean
  /**
   * The index the next added node gets: one past every index ever used, so a removed node's id is
   * never reused (its database, its hints and peers' log entries addressed to it would meet a
   * stranger; the elastic sweep's seed 3 re-added node_2 right after removing it).
   */
  private nextIndex: number

  constructor(private readonly options: ResolvedClusterOptions) {
    this.forwarding = options.enableForwarding
    this.members = Array.from({ length: options.numNodes }, (_, i) => nodeId(i))
    this.nextIndex = options.numNodes
    this.ring = initialRing(options, this.members)
    this.topology = options.topology ?? null
    this.config = this.build()
  }

  private build(): NodeConfig {
    return nodeConfigFor(
      { ...this.options, enableForwarding: this.forwarding, topology: this.topology ?? undefined },
      this.members,
      this.ring,
    )
  }

  /** Turns forwarding of client ops for keys a node does not own on or off. */
  setForwarding(on: boolean): void {
    this.forwarding = on
    this.config = this.build()
  }

  /** The whole state, to roll a membership change back when its hand-over fails. */
  snapshot(): MembershipSnapshot {
    return { members: this.members, ring: this.ring, topology: this.topology, config: this.config }
  }

  restore(s: MembershipSnapshot): void {
    this.members = s.members
    this.ring = s.ring
    this.topology = s.topology
    this.config = s.config
  }

  /**
   * Refuses (coded) a removal that would leave fewer nodes than N, W or R, or that would lose the only
   * replica of a down node's ranges (N = 1).
   */
  checkRemove(id: NodeId, up: boolean): void {
    if (this.members.length <= 1) throw dbError('BAD_INPUT', 'cannot remove the last node')
    const left = this.members.length - 1
    const o = this.options
    for (const [name, v] of [
      ['N (replicationFactor)', o.replicationFactor],
      ['W (writeQuorum)', o.writeQuorum],
      ['R (readQuorum)', o.readQuorum],
    ] as const) {
      if (left < v)
        throw dbError('BAD_INPUT', `removing ${id} would leave ${left} nodes, fewer than ${name} = ${v}`, {
          node: id,
          left,
        })
    }
    if (!up && o.replicationFactor === 1)
      throw dbError(
        'NODE_DOWN',
        `${id} is down and holds the only replica of its ranges (N = 1): restart it before removing it, or its data is lost`,
        { node: id },
      )
  }

  /** Moves to a ring the same members hold differently (split, merge, transfer, rebalance). */
  setRing(ring: HashRing): void {
    this.ring = ring
    this.config = this.build()
  }

  /** Adds the next node (index = one past every index used so far) with tokens from the cluster seed. */
  add(): NodeId {
    if (this.members.length >= NUM_NODES_MAX)
      throw dbError('BAD_INPUT', `a cluster holds at most ${NUM_NODES_MAX} nodes`)
    this.nextIndex = Math.max(this.nextIndex, ...this.members.map((m) => nodeIndex(m) + 1))
    const id = nodeId(this.nextIndex++)
    this.ring = placementAddNode(
      this.ring,
      id,
      seededRandom((this.options.seed ^ Math.imul(this.ring.version + 1, 0x9e3779b1)) >>> 0),
      this.options.tokenAssignment,
    )
    this.members = [...this.members, id]
    this.config = this.build()
    return id
  }

  /** Removes a member; the last node cannot go. */
  remove(id: NodeId): void {
    if (this.members.length <= 1) throw dbError('BAD_INPUT', 'cannot remove the last node')
    this.ring = placementRemoveNode(this.ring, id, this.members)
    this.members = this.members.filter((m) => m !== id)
    if (this.topology) {
      const n = nodeIndex(id)
      const t: Topology = {}
      for (const [from, tos] of Object.entries(this.topology))
        if (Number(from) !== n) t[Number(from)] = tos.filter((x) => x !== n)
      this.topology = t
    }
    this.config = this.build()
  }

  /** Replaces the topology (validated against the members; null = all-to-all). */
  setTopology(topology: Topology | null): void {
    topologyFor(topology, this.members)
    this.topology = topology ? structuredClone(topology) : null
    this.config = this.build()
  }
}
