/**
 * Elasticity in the worker runtime: adding a node (boot its worker on the new ring, stream to it,
 * publish, catch up; rolled back when that fails), removing one (stream its ranges away, publish,
 * catch up, retire it once what it owes is delivered, draining every 2 s until then), and the
 * hand-over passes (each worker counts, then streams; the page polls their progress).
 */

import type { HandOverLedger, Layout } from '../cluster/handOverLedger'
import { type PassStreamer, runCatchUpPass, runHandOverPass } from '../cluster/handOverPass'
import { type Membership, type MembershipSnapshot, priorOf } from '../cluster/membership'
import type { MoveKind, MoveRecord } from '../cluster/moveProgress'
import type { ClusterEvent } from '../core/events'
import type { NodeId } from '../core/ids'
import { handOverText } from '../core/node/handOff'
import { workerCount, workerStream } from './workerHandOver'
import { readyToRetire } from './workerLedger'
import type { WorkerNode } from './workerNode'

/** What hand-over passes use of the cluster. */
export interface WorkerHandOverHost {
  node(id: NodeId): WorkerNode | undefined
  /** Every worker that is up with its API. */
  liveWorkers(): WorkerNode[]
  /** The cluster-wide streaming cap now, bytes/s. */
  transferBytesPerSec(): number
  /** The map the nodes were last sent. */
  publishedLayout(): Layout
  /** The membership's current ring and N (a running move's target). */
  currentLayout(): Layout
  readonly ledger: HandOverLedger
  record(e: ClusterEvent): void
}

/** What adding and removing nodes use of the cluster, besides the hand-over passes. */
export interface WorkerMembershipHost extends WorkerHandOverHost {
  readonly m: Membership
  readonly nodes: Map<NodeId, WorkerNode>
  /** A new, down worker node for `id` (registered in `nodes`). */
  addWorkerNode(id: NodeId): WorkerNode
  startMove(kind: MoveKind, label: string, before: MembershipSnapshot): MoveRecord
  /** The node joining now (it takes no client operation), or null. */
  setJoining(id: NodeId | null): void
  boot(w: WorkerNode): Promise<void>
  terminate(w: WorkerNode): void
  /** Sends the membership's configuration to every node (the publish). */
  pushConfig(): void
  /** Drops a removed node from the network fault rules and tells the workers. */
  forgetLinks(id: NodeId): void
  /** True once shutdown() was called (a drain stops retrying). */
  isShutDown(): boolean
  notify(): void
}

/**
 * Each node counts, then streams, the rows the membership's current ring gives to new owners
 * (core/node/handOff.ts); the rate is shared in proportion to the counts, and the page polls each
 * worker's acknowledged rows and bytes for the move's progress.
 */
export async function handOver(
  host: WorkerHandOverHost,
  from: readonly WorkerNode[],
  before: MembershipSnapshot,
  move: MoveRecord,
): Promise<void> {
  const to = host.currentLayout()
  const prior = priorOf(before)
  const streamers = from.map(
    (x): PassStreamer => ({
      id: x.id,
      count: () => workerCount(x, prior, to),
      stream: (bytesPerSec, onProgress) => workerStream(x, prior, to, bytesPerSec, onProgress),
    }),
  )
  const stats = await runHandOverPass(move, host.transferBytesPerSec(), streamers)
  stats.forEach((x, i) => {
    if (x.rowsSent > 0)
      host.record({ t: Date.now(), type: 'hand-over', node: from[i].id, detail: handOverText(x) })
  })
}

/**
 * After a publish: one catch-up attempt per live node is awaited (counted and reported into
 * `move`); failures retry through the ledger.
 */
export async function catchUp(host: WorkerHandOverHost, move: MoveRecord): Promise<void> {
  const count = (id: NodeId, from: Layout, to: Layout) => {
    const w = host.node(id)
    return w ? workerCount(w, from, to) : Promise.resolve({ rows: 0, bytes: 0 })
  }
  const ids = host.liveWorkers().map((x) => x.id)
  await runCatchUpPass(move, host.transferBytesPerSec(), host.ledger, host.publishedLayout(), ids, count)
}

export class WorkerMembership {
  constructor(private readonly host: WorkerMembershipHost) {}

  async addNode(): Promise<NodeId> {
    const { host } = this
    const before = host.m.snapshot()
    const id = host.m.add()
    const w = host.addWorkerNode(id)
    host.setJoining(id)
    host.ledger.set(id, host.currentLayout())
    // The new node boots with the new ring; the others keep the old one until their ranges are in
    // place on it (handOver), so every key stays readable at every N.
    const others = host.liveWorkers().filter((x) => x.id !== id)
    const move = host.startMove('add-node', `add ${id}`, before)
    try {
      await host.boot(w)
      await handOver(host, others, before, move)
    } catch (e) {
      host.terminate(w)
      host.nodes.delete(id)
      host.ledger.forget(id)
      host.m.restore(before)
      host.setJoining(null)
      move.fail(e)
      host.notify()
      throw e
    }
    host.setJoining(null)
    host.pushConfig()
    move.published(host.m.ring.version)
    // Writes acknowledged while the first pass ran landed on the old owners only: copy them too.
    await catchUp(host, move)
    move.finish()
    host.record({ t: Date.now(), type: 'node-status', node: id, detail: 'joined' })
    host.notify()
    return id
  }

  async removeNode(w: WorkerNode): Promise<void> {
    const { host } = this
    host.m.checkRemove(w.id, w.status === 'up' || w.status === 'paused')
    const before = host.m.snapshot()
    host.m.remove(w.id)
    const move = host.startMove('remove-node', `remove ${w.id}`, before)
    // The leaving node (when up) and every other replica stream its ranges to their next owners
    // before the ring without it is published.
    const streaming = host.liveWorkers()
    try {
      await handOver(host, streaming, before, move)
    } catch (e) {
      host.m.restore(before)
      move.fail(e)
      throw e
    }
    host.pushConfig()
    move.published(host.m.ring.version)
    await catchUp(host, move)
    move.finish()
    // It goes once its catch-up and hints are delivered; until then it drains (no longer a member,
    // retrying every 2 s) rather than take the only copy of a row with it.
    if (await readyToRetire(host.ledger, w, this.heirOf(w))) this.retired(w)
    else void this.drain(w)
  }

  private heirOf(w: WorkerNode): WorkerNode | undefined {
    return this.host.liveWorkers().find((x) => x.id !== w.id && this.host.m.members.includes(x.id))
  }

  private async drain(w: WorkerNode): Promise<void> {
    do await new Promise((r) => setTimeout(r, 2000))
    while (!this.host.isShutDown() && !(await readyToRetire(this.host.ledger, w, this.heirOf(w))))
    this.retired(w)
  }

  private retired(w: WorkerNode): void {
    const { host } = this
    host.terminate(w)
    host.nodes.delete(w.id)
    host.ledger.forget(w.id)
    host.forgetLinks(w.id)
    host.record({ t: Date.now(), type: 'node-status', node: w.id, detail: 'removed' })
    host.notify()
  }
}
