/**
 * Where an operation on a key goes right now, memoised. A route depends on the key only through the
 * ring arc its token falls in, so it is cached per (arc, n) while the ring, the node's config and the
 * failure detector's views are unchanged (`FailureDetector.generation`). Computing it per operation
 * (preference walk, stand-ins, reachability and health filters) was a top allocation site of a busy
 * coordinator. Routes are shared: callers must not mutate them.
 */
import type { NodeId } from '../ids'
import { type HashRing, type SloppyTarget, sloppyPreferenceList, vnodeIndexFor } from '../ring/hashRing'
import { positionOf } from '../ring/tokens'
import type { DbNode } from './dbNode'
import type { NodeConfig } from './nodeConfig'

export interface Route {
  /** The n natural owners. */
  readonly owners: readonly NodeId[]
  /** Owners, or stand-ins (hintedFor) for unhealthy owners under a sloppy quorum. */
  readonly targets: readonly SloppyTarget[]
  /** Targets this node can send to (itself, or its out-neighbours in the topology). */
  readonly reachable: readonly SloppyTarget[]
  /**
   * Owners this node reaches only through relays along the topology (each hop an owner that relays
   * the op onwards, as `DbNode.logTargets` does); they confirm with a relay-ack.
   */
  readonly relayed: readonly SloppyTarget[]
  /** Reachable or relayed targets not seen down (this node counts as healthy): where writes go. */
  readonly healthy: readonly SloppyTarget[]
  /** Targets not seen down, whatever the topology (reads ask any replica). */
  readonly readable: readonly SloppyTarget[]
  /** The order reads ask in: this node first when readable, other readable ones, then the rest. */
  readonly readOrder: readonly SloppyTarget[]
  /** This node's entry among the targets, if it is one. */
  readonly self: SloppyTarget | undefined
  /** Owners this node replicates its own ops to (its out-neighbours among the owners). */
  readonly logTargets: readonly NodeId[]
}

export class RouteCache {
  private ring: HashRing | null = null
  private config: NodeConfig | null = null
  private generation = -1
  private readonly routes = new Map<number, Route>()

  constructor(private readonly node: DbNode) {}

  /** The route for `key` with `n` replicas. */
  route(key: string, n: number): Route {
    const node = this.node
    if (this.ring !== node.ring || this.config !== node.config || this.generation !== node.fd.generation) {
      this.routes.clear()
      this.ring = node.ring
      this.config = node.config
      this.generation = node.fd.generation
    }
    const arc = vnodeIndexFor(node.ring, positionOf(node.ring, key))
    const slot = arc * 64 + n
    let route = this.routes.get(slot)
    if (!route) {
      route = compute(node, key, n)
      this.routes.set(slot, route)
    }
    return route
  }
}

function compute(node: DbNode, key: string, n: number): Route {
  const isHealthy = (p: NodeId): boolean => p === node.id || node.fd.healthy(p)
  const pref = sloppyPreferenceList(node.ring, key, n, isHealthy)
  const targets = node.config.sloppyQuorum ? pref.targets : pref.owners.map((o) => ({ node: o }))
  const out = node.outNeighbors()
  const reachable = targets.filter((t) => t.node === node.id || out.includes(t.node))
  const readable = targets.filter((t) => isHealthy(t.node))
  const readOrder = [
    ...readable.filter((t) => t.node === node.id),
    ...readable.filter((t) => t.node !== node.id),
  ]
  for (const t of targets) if (!readOrder.includes(t)) readOrder.push(t)
  const relayed = node.config.topology ? relayedOwners(node, targets, reachable) : []
  return Object.freeze({
    owners: Object.freeze(pref.owners),
    targets: Object.freeze(targets),
    reachable: Object.freeze(reachable),
    relayed: Object.freeze(relayed),
    healthy: Object.freeze([...reachable, ...relayed].filter((t) => isHealthy(t.node))),
    readable: Object.freeze(readable),
    readOrder: Object.freeze(readOrder),
    self: targets.find((t) => t.node === node.id),
    logTargets: Object.freeze(out.filter((t) => pref.owners.includes(t))),
  })
}

/** Owner targets not directly reachable that relays through other owners reach. */
function relayedOwners(
  node: DbNode,
  targets: readonly SloppyTarget[],
  reachable: readonly SloppyTarget[],
): SloppyTarget[] {
  const reach = ownersReachedFrom(
    node,
    node.id,
    new Set(targets.filter((t) => !t.hintedFor).map((t) => t.node)),
  )
  return targets.filter((t) => !t.hintedFor && reach.has(t.node) && !reachable.includes(t))
}

/**
 * The owners a write coordinated at `from` reaches along the topology: its out-neighbours among the
 * owners, then theirs, breadth first (only owners relay an op onwards, as `DbNode.logTargets` says).
 */
export function ownersReachedFrom(node: DbNode, from: NodeId, owners: ReadonlySet<NodeId>): Set<NodeId> {
  const seen = new Set<NodeId>()
  const frontier = node.outNeighbors(from).filter((p) => owners.has(p))
  for (const p of frontier) seen.add(p)
  while (frontier.length > 0) {
    const hop = frontier.shift()!
    for (const next of node.outNeighbors(hop)) {
      if (next === from || seen.has(next) || !owners.has(next)) continue
      seen.add(next)
      frontier.push(next)
    }
  }
  return seen
}

/**
 * A healthy node whose topology takes a write for these owners to `w` healthy replicas (itself
 * included when it is an owner), owners first in preference order: where a node that cannot
 * forwards the write. Null when no node can.
 */
export function forwardTargetFor(node: DbNode, owners: readonly NodeId[], w: number): NodeId | null {
  const ownerSet = new Set(owners)
  const healthy = (p: NodeId): boolean => p === node.id || node.fd.healthy(p)
  const candidates = [...owners, ...node.config.members.filter((m) => !ownerSet.has(m))]
  for (const c of candidates) {
    if (c === node.id || !healthy(c)) continue
    let count = ownerSet.has(c) ? 1 : 0
    for (const o of ownersReachedFrom(node, c, ownerSet)) if (healthy(o)) count++
    if (count >= w) return c
  }
  return null
}
