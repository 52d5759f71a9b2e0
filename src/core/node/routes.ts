/**
 * Where an operation on a key goes right now, memoised. A route depends on the key only through the
 * ring arc its token falls in, so it is cached per (arc, n) while the ring, the node's config and the
 * failure detector's views are unchanged (`FailureDetector.generation`). Computing it per operation
 * (preference walk, stand-ins, reachability and health filters) was a top allocation site of a busy
 * coordinator. Routes are shared: callers must not mutate them.
 */
import type { NodeId } from '../ids'
import {
  type HashRing,
  type SloppyTarget,
  sloppyPreferenceList,
  tokenOf,
  vnodeIndexFor,
} from '../ring/hashRing'
import type { DbNode } from './dbNode'
import type { NodeConfig } from './nodeConfig'

export interface Route {
  /** The n natural owners. */
  readonly owners: readonly NodeId[]
  /** Owners, or stand-ins (hintedFor) for unhealthy owners under a sloppy quorum. */
  readonly targets: readonly SloppyTarget[]
  /** Targets this node can send to (itself, or its out-neighbours in the topology). */
  readonly reachable: readonly SloppyTarget[]
  /** Reachable targets not seen down (this node counts as healthy): where writes go. */
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
    const arc = vnodeIndexFor(node.ring, tokenOf(key))
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
  return Object.freeze({
    owners: Object.freeze(pref.owners),
    targets: Object.freeze(targets),
    reachable: Object.freeze(reachable),
    healthy: Object.freeze(reachable.filter((t) => isHealthy(t.node))),
    readable: Object.freeze(readable),
    readOrder: Object.freeze(readOrder),
    self: targets.find((t) => t.node === node.id),
    logTargets: Object.freeze(out.filter((t) => pref.owners.includes(t))),
  })
}
