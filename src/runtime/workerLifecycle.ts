/**
 * A worker node's life seen from the page: booting its worker (one incarnation at a time), killing
 * it for real (worker.terminate(), after the torn-tail fault when one is injected), restarting,
 * rebuilding it empty, pausing and resuming, and closing it at shutdown.
 */

import { describeDiskFaults, TORN_TAIL_DETAIL } from '../cluster/diskFaultText'
import { emptySnapshot } from '../cluster/results'
import type { ResolvedClusterOptions } from '../cluster/types'
import { type DiskFaults, mergeDiskFaults } from '../core/disk/faultyDisk'
import { dbError } from '../core/errors'
import type { ClusterEvent } from '../core/events'
import type { NodeId } from '../core/ids'
import { type BootHost, type BootPlan, bootNode, ownSeqSeenByPeers } from './nodeBoot'
import { bounded, dbNameOf, deleteDatabase, killSwitch, OPEN_TIMEOUT_MS, type WorkerNode } from './workerNode'

/** How long a kill waits for a worker to leave its torn WAL tail. */
const CRASH_WAIT_MS = 1000

/** What a node's lifecycle uses of the cluster (besides what a boot needs: BootHost). */
export interface WorkerLifecycleHost {
  readonly boot: BootHost
  readonly options: ResolvedClusterOptions
  nodes(): Iterable<WorkerNode>
  /** Called once a boot succeeded (routers link to the new worker). */
  onBooted(w: WorkerNode): void
  /** Starts the hand-over the node owes (the ledger's pay; not awaited). */
  payOwed(id: NodeId): void
  /** Starts an anti-entropy round from every live member (after a rebuild). */
  refillFromPeers(): void
  record(e: ClusterEvent): void
  notify(): void
}

export class WorkerLifecycle {
  /** Restarts in progress (boot, then the hand-over the node owes), per node. */
  private readonly restarts = new Map<WorkerNode, Promise<void>>()

  constructor(private readonly host: WorkerLifecycleHost) {}

  /** Starts the node's worker, or joins the boot in progress: one incarnation at a time. */
  boot(w: WorkerNode, plan?: BootPlan): Promise<void> {
    if (w.booting) return w.booting
    const incarnation = ++w.incarnation
    const run = bootNode(this.host.boot, w, incarnation, plan)
      .then(() => this.host.onBooted(w))
      .finally(() => {
        if (w.incarnation === incarnation) w.booting = null
      })
    w.booting = run
    return run
  }

  /** Kills a node for real: worker.terminate(); its volatile state is gone, its IndexedDB stays. */
  async kill(w: WorkerNode): Promise<void> {
    // A torn-tail fault: the worker writes the half-record of a commit in flight before it dies
    // (bounded: a worker that does not answer is terminated anyway).
    if (w.diskFaults.tornTailOnKill && w.status === 'up' && w.api) {
      const torn = await Promise.race([
        w.api.crash().catch(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(false), CRASH_WAIT_MS)),
      ])
      if (torn) this.host.record({ t: Date.now(), type: 'disk-fault', node: w.id, detail: TORN_TAIL_DETAIL })
    }
    this.terminate(w)
  }

  /** Ends a node's incarnation: its worker (booting or not), and every call still waiting on it. */
  terminate(w: WorkerNode): void {
    if (!w.booting && (w.status === 'down' || w.status === 'failed')) return
    // A boot in progress sees the new incarnation (and the kill switch) and stops: the kill wins.
    w.incarnation++
    w.booting = null
    w.worker?.terminate()
    const killed = dbError(
      'NODE_DOWN',
      `${w.id} was killed before it answered; the operation may or may not have happened`,
    )
    w.killed.reject(killed)
    w.killed = killSwitch()
    w.client?.close(killed)
    w.client = undefined
    w.worker = null
    w.api = null
    w.status = 'down'
    w.snapshot = emptySnapshot(w.id, 'down', w.skewMs)
    this.host.record({ t: Date.now(), type: 'node-status', node: w.id, detail: 'down' })
    this.host.notify()
  }

  /** Boots a down or failed node; callers during a boot get the same promise. */
  restart(w: WorkerNode): Promise<void> {
    // Concurrent restarts share one boot and get the same promise (one incarnation per node).
    const pending = this.restarts.get(w)
    if (pending) return pending
    if (w.booting) return w.booting
    if (w.status !== 'down' && w.status !== 'failed') return Promise.resolve()
    // Maps published while it was down moved ranges it may hold the only copy of: hand them over.
    const p = this.boot(w)
      .then(() => this.host.payOwed(w.id))
      .finally(() => this.restarts.delete(w))
    this.restarts.set(w, p)
    return p
  }

  /**
   * Deletes the node's database and boots it empty; Merkle rounds from every live node refill it.
   * Its new ops start above the highest seq of its own that a live peer has seen, so peers never
   * take them for ones they already hold.
   */
  async rebuild(w: WorkerNode): Promise<void> {
    if (w.booting || w.status === 'up' || w.status === 'paused') await this.kill(w)
    const ownSeqFloor = await ownSeqSeenByPeers(this.host.nodes(), w)
    await this.boot(w, { fresh: true, ownSeqFloor })
    this.host.record({ t: Date.now(), type: 'node-status', node: w.id, detail: 'rebuilt empty' })
    this.host.refillFromPeers()
    this.host.notify()
  }

  async pause(w: WorkerNode): Promise<void> {
    if (w.status !== 'up') return
    w.status = 'paused'
    // A kill meanwhile ends the wait (a terminated worker never answers); the node is then down.
    await Promise.race([w.api?.pause(), w.killed.promise]).catch(() => {})
    this.host.record({ t: Date.now(), type: 'node-status', node: w.id, detail: 'paused' })
    this.host.notify()
  }

  async resume(w: WorkerNode): Promise<void> {
    if (w.status !== 'paused') return
    w.status = 'up'
    await Promise.race([w.api?.resume(), w.killed.promise]).catch(() => {})
    this.host.payOwed(w.id)
    this.host.record({ t: Date.now(), type: 'node-status', node: w.id, detail: 'up' })
    this.host.notify()
  }

  /** Merges `faults` into the node's injected storage faults and sends them to its worker. */
  async setDiskFaults(w: WorkerNode, faults: Partial<DiskFaults>): Promise<DiskFaults> {
    w.diskFaults = mergeDiskFaults(w.diskFaults, faults)
    await w.api?.setDiskFaults(w.diskFaults)
    this.host.record({
      t: Date.now(),
      type: 'disk-fault',
      node: w.id,
      detail: describeDiskFaults(w.diskFaults),
    })
    return { ...w.diskFaults }
  }

  /** Stops one node at shutdown; with deleteData its database goes too (from here if it cannot close). */
  async shutdown(w: WorkerNode, deleteData: boolean): Promise<void> {
    const live = w.status === 'up' || w.status === 'paused' ? w.api : null
    w.incarnation++
    w.booting = null
    const stopped = dbError('NODE_DOWN', `${w.id} stopped: the cluster was shut down`)
    w.killed.reject(stopped)
    const never = new Promise<never>(() => {})
    // A worker that is gone or hung has nothing to close: its database is deleted from here.
    const closed = live
      ? await bounded(live.close(deleteData), OPEN_TIMEOUT_MS, `${w.id}: close`, never).then(
          () => true,
          () => false,
        )
      : false
    w.worker?.terminate()
    w.worker = null
    w.api = null
    w.client?.close(stopped)
    w.client = undefined
    w.status = 'down'
    if (deleteData && !closed && this.host.options.persist)
      await deleteDatabase(dbNameOf(this.host.options.dbPrefix, w.id)).catch(() => {})
  }
}
