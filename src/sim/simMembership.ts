/**
 * Elasticity in the simulator: adding a node (boot it on the new ring, stream to it, publish, catch
 * up; rolled back when streaming fails) and removing one (stream its ranges away, publish, catch up,
 * then retire it once what it owes is delivered, draining in the background when that takes longer).
 */

import type { HandOverLedger, Layout } from '../cluster/handOverLedger'
import type { Membership, MembershipSnapshot } from '../cluster/membership'
import type { MoveKind, MoveRecord } from '../cluster/moveProgress'
import type { NodeId } from '../core/ids'
import type { NodeConfig } from '../core/node/nodeConfig'
import { catchUp, handOver, type SimHandOverHost } from './simHandOver'
import { newSimNode, type SimNode } from './simLifecycle'

/** What adding and removing nodes use of the cluster. */
export interface SimMembershipHost extends SimHandOverHost {
  readonly m: Membership
  readonly ledger: HandOverLedger
  readonly nodes: Map<NodeId, SimNode>
  readonly dbPrefix: string
  /** The membership's current ring and N (a running move's target). */
  currentLayout(): Layout
  startMove(kind: MoveKind, label: string, before: MembershipSnapshot): MoveRecord
  /** The node joining now (it takes no client operation), or null. */
  setJoining(id: NodeId | null): void
  boot(s: SimNode, config: NodeConfig): Promise<void>
  stopIncarnation(s: SimNode): void
  /** Sends the membership's configuration to every node (the publish). */
  pushConfig(): void
  /** Drops a removed node from the network fault rules. */
  forgetLinks(id: NodeId): void
  flushUpdates(): void
}

export class SimMembership {
  /** Removals still draining (settle waits for them). */
  readonly draining = new Set<Promise<boolean>>()

  constructor(private readonly host: SimMembershipHost) {}

  async addNode(): Promise<NodeId> {
    const { host } = this
    const before = host.m.snapshot()
    const id = host.m.add()
    const s = newSimNode(id, host.dbPrefix)
    host.nodes.set(id, s)
    // The new node starts with the new ring; the others keep the old one until their ranges are in
    // place on it (handOver), so every key stays readable at every N.
    const move = host.startMove('add-node', `add ${id}`, before)
    host.setJoining(id)
    await host.drive(host.boot(s, host.m.config))
    host.ledger.set(id, host.currentLayout())
    const others = host.liveNodes().filter((n) => n.id !== id)
    try {
      await handOver(host, others, host.currentLayout(), before, move)
    } catch (e) {
      host.stopIncarnation(s)
      host.nodes.delete(id)
      host.ledger.forget(id)
      host.m.restore(before)
      host.setJoining(null)
      move.fail(e)
      throw e
    }
    host.setJoining(null)
    host.pushConfig()
    move.published(host.m.ring.version)
    // Writes acknowledged while the first pass ran landed on the old owners only: copy them too.
    await catchUp(host, host.ledger, move)
    move.finish()
    host.record({ t: host.sim.nowMs, type: 'node-status', node: id, detail: 'joined' })
    host.flushUpdates()
    return id
  }

  async removeNode(s: SimNode): Promise<void> {
    const { host } = this
    host.m.checkRemove(s.id, s.status !== 'down')
    const before = host.m.snapshot()
    host.m.remove(s.id)
    const move = host.startMove('remove-node', `remove ${s.id}`, before)
    // The leaving node (when up) and every other replica stream its ranges to their next owners
    // before the ring without it is published.
    const streaming = host.liveNodes()
    try {
      await handOver(host, streaming, host.currentLayout(), before, move)
    } catch (e) {
      host.m.restore(before)
      move.fail(e)
      throw e
    }
    host.pushConfig()
    move.published(host.m.ring.version)
    await catchUp(host, host.ledger, move)
    move.finish()
    // The leaving node goes once its catch-up has landed (it may hold the only copy, N = 1) and the
    // hints it keeps as a stand-in are with a node that stays. When a new owner is unreachable it
    // drains in the background — no longer a member, still retrying — rather than take rows with it
    // (the elastic sweep's seed 25: an owner killed during the removal).
    if (!(await host.drive(this.retire(s, 1)))) {
      const draining = this.retire(s, Number.POSITIVE_INFINITY)
      this.draining.add(draining)
      void draining.finally(() => this.draining.delete(draining))
    }
  }

  /**
   * Stops a node removed from the membership once what it owes is delivered, trying up to `rounds`
   * ledger rounds (2 s between tries); true when it was stopped, false when it is still needed.
   */
  private async retire(s: SimNode, rounds: number): Promise<boolean> {
    const { host } = this
    for (let round = 0; round < rounds; round++) {
      if (!s.node || s.status === 'down') break // killed meanwhile: nothing left to hand over
      const paid = await host.ledger.pay(s.id)
      const heir = host.liveNodes().find((x) => x.id !== s.id && host.m.members.includes(x.id))
      const hinted =
        paid && s.node && heir
          ? await s.node.handoff.handOverHints(heir.id).then(
              () => true,
              () => false,
            )
          : paid && !heir
      if (paid && hinted) break
      if (round + 1 >= rounds) return false
      await new Promise<void>((r) => host.sim.schedule(2000, r, () => ({ text: `drain ${s.id}` })))
    }
    host.stopIncarnation(s)
    host.nodes.delete(s.id)
    host.ledger.forget(s.id)
    host.forgetLinks(s.id)
    host.record({ t: host.sim.nowMs, type: 'node-status', node: s.id, detail: 'removed' })
    host.flushUpdates()
    return true
  }
}
