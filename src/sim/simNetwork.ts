/**
 * The simulated network: every message a node or router sends goes through `transmit`, which applies
 * the cluster's fault rules (the same decide function as the worker runtime), schedules each delivery
 * on virtual time and traces work messages for the space-time diagram.
 */

import type { ClusterEvent } from '../core/events'
import { decideDelivery, type FaultState, linkKey, linkUsable } from '../core/faults/linkRules'
import type { NodeId } from '../core/ids'
import type { Message } from '../core/protocol/messages'
import { traceFields } from '../core/protocol/messageTrace'
import type { Random } from '../core/random'
import type { RouterCore } from '../core/router/routerCore'
import { onNode, type SimNode } from './simLifecycle'
import type { Simulator } from './simulator'

/** What the network uses of the cluster. */
export interface SimNetworkHost {
  readonly sim: Simulator
  /** Decides drops and delays (the cluster's network stream). */
  readonly random: Random
  /** Record send/deliver/drop events (off for benchmarks). */
  trace(): boolean
  /** The fault rules now. */
  faults(): FaultState
  /** Cumulative work messages per directed link (`from>to`), counted here. */
  readonly traffic: Record<string, number>
  node(id: NodeId): SimNode | undefined
  record(e: ClusterEvent): void
}

export class SimNetwork {
  /** Messages sent, delivered and dropped (for benchmarks and the dashboard). */
  readonly counters = { sent: 0, delivered: 0, dropped: 0 }
  /** Work messages (not ping/pong) scheduled and not yet delivered. */
  workInFlight = 0
  /** Routing processes on the simulated network (startRouter), by id. */
  readonly routers = new Map<NodeId, RouterCore>()

  constructor(private readonly host: SimNetworkHost) {}

  transmit(from: NodeId, to: NodeId, msg: Message): void {
    const sim = this.host.sim
    const trace = this.host.trace()
    this.counters.sent++
    const work = msg.type !== 'ping' && msg.type !== 'pong'
    if (work) {
      const k = linkKey(from, to)
      this.host.traffic[k] = (this.host.traffic[k] ?? 0) + 1
    }
    if (trace && work) this.host.record({ t: sim.nowMs, type: 'send', node: from, peer: to, msg: msg.type })
    // Every work message is traced for the space-time diagram: when it left and the sender's clock.
    const traced = trace && work ? traceFields(msg, sim.nowMs, this.host.node(from)?.node?.clock?.time) : null
    const fate = decideDelivery(this.host.faults(), from, to, this.host.random)
    if (fate.drop) {
      this.noteDrop(from, to, msg, fate.reason, traced)
      return
    }
    for (const delay of fate.delaysMs) {
      if (work) this.workInFlight++
      sim.schedule(
        delay,
        () => {
          if (work) this.workInFlight--
          const router = this.routers.get(to)
          if (router) {
            this.counters.delivered++
            router.receive(msg)
            return
          }
          const target = this.host.node(to)
          if (!target?.node || target.status === 'down') {
            this.noteDrop(from, to, msg, 'node down', traced)
            return
          }
          onNode(target, target.incarnation, () => {
            this.counters.delivered++
            if (trace && work)
              this.host.record({
                t: sim.nowMs,
                type: 'deliver',
                node: to,
                peer: from,
                msg: msg.type,
                ...traced,
              })
            target.node?.receive(msg)
          })
        },
        () => ({ text: `deliver ${msg.type} ${from} → ${to}`, from, to, msg: msg.type }),
      )
    }
  }

  /** Counts a dropped message (and records it when tracing). */
  private noteDrop(
    from: NodeId,
    to: NodeId,
    msg: Message,
    detail: string | undefined,
    traced: ReturnType<typeof traceFields> | null = null,
  ): void {
    this.counters.dropped++
    if (this.host.trace())
      this.host.record({
        t: this.host.sim.nowMs,
        type: 'drop',
        node: from,
        peer: to,
        msg: msg.type,
        detail,
        ...traced,
      })
  }

  /** True when `to` is up and the link is usable both ways. */
  reachable(from: NodeId, to: NodeId): boolean {
    const t = this.host.node(to)
    if (t?.status !== 'up') return false
    const faults = this.host.faults()
    return linkUsable(faults, from, to) && linkUsable(faults, to, from)
  }

  /**
   * True when no work message is in flight and none of `nodes` that is up has anything it can still
   * deliver (a write group, a request, an owed hand-over per `busy`, a backlog or hints for a peer
   * it can reach).
   */
  quiescent(nodes: Iterable<SimNode>, busy: (id: NodeId) => boolean): boolean {
    if (this.workInFlight > 0) return false
    for (const s of nodes) {
      if (!s.node || s.status !== 'up') continue
      const n = s.node
      if (!n.groups.idle || n.requests.inFlight > 0 || busy(s.id)) return false
      for (const peer of n.replog.peersWithBacklog()) if (this.reachable(s.id, peer)) return false
      for (const peer of n.hints.targets()) if (this.reachable(s.id, peer)) return false
    }
    return true
  }
}
