/**
 * The worker runtime of the Cluster API, on the page's main thread. It starts one Web Worker per
 * node, wires a direct MessageChannel between every pair of nodes (node traffic never passes through
 * the page), broadcasts fault rules to the workers, and merges their coalesced update streams.
 */

import type { Outcome, WorkerUpdate } from '../../workers/nodeWorkerApi'
import { ClusterBase } from '../cluster/clusterBase'
import { checkSkew, withoutMember } from '../cluster/faultRules'
import type { MembershipSnapshot } from '../cluster/membership'
import type { MoveRecord } from '../cluster/moveProgress'
import { resolveNodeRef } from '../cluster/options'
import { emptySnapshot } from '../cluster/results'
import type {
  AntiEntropyOptions,
  Cluster,
  ClusterInspection,
  ClusterUpdate,
  NodeInspection,
  NodeSummary,
  OpOptions,
  ReadResult,
  ResolvedClusterOptions,
  Router,
  ScanPage,
  TimeControl,
  WriteOptions,
  WriteResult,
} from '../cluster/types'
import type { ExchangeStats } from '../core/antiEntropy/exchangeStats'
import { type DiskFaults, NO_DISK_FAULTS } from '../core/disk/faultyDisk'
import { dbError } from '../core/errors'
import type { ClusterEvent } from '../core/events'
import { type NodeId, nodeIndex } from '../core/ids'
import { handOverText } from '../core/node/handOff'
import type { NodeConfig } from '../core/node/nodeConfig'
import type { StorageActionResult } from '../core/node/storageControl'
import type { NodeQuery, NodeQueryAnswer } from '../core/query/nodeQuery'
import type { WorkloadSpec, WorkloadTally } from '../core/workload/generator'
import type { TapBatch } from '../core/workload/historyTap'
import type { BootPlan } from './nodeBoot'
import { NodeWorkloads } from './nodeWorkloads'
import { unwrap } from './outcome'
import { settleWorkers } from './settle'
import { WorkerClientOps } from './workerClientOps'
import { workerLedger } from './workerLedger'
import { WorkerLifecycle } from './workerLifecycle'
import { catchUp, handOver, type WorkerHandOverHost, WorkerMembership } from './workerMembership'
import { killSwitch, type WorkerNode } from './workerNode'
import { startWorkerRouter, type WorkerRouter } from './workerRouter'
import { workerTime } from './workerTime'
import { WorkerUpdates } from './workerUpdates'

export class WorkerCluster extends ClusterBase implements Cluster {
  readonly runtime = 'worker' as const
  private wnodes = new Map<NodeId, WorkerNode>()
  /** Client requests and node calls (workerClientOps.ts). */
  private readonly ops = new WorkerClientOps({
    node: (ref) => this.wnode(ref),
    joining: () => this.published.joining,
  })
  /** Events and snapshots to subscribers, once per frame (workerUpdates.ts). */
  private readonly updates = new WorkerUpdates(() =>
    [...this.wnodes.values()].map((w) => ({ ...w.snapshot, status: w.status })),
  )
  private pausedAll = false
  /** Which map each node's rows are laid out by; the hand-overs still owed (workerLedger.ts). */
  private readonly ledger = workerLedger({
    published: () => this.published.layout,
    worker: (id) => this.wnodes.get(id),
    bytesPerSec: () => this.transferBytesPerSec / Math.max(1, this.liveWorkers().length),
    onStats: (id, x) => {
      if (x.rowsSent > 0) this.record({ t: Date.now(), type: 'hand-over', node: id, detail: handOverText(x) })
    },
  })
  /** What hand-over passes use (workerMembership.ts). */
  private readonly handOverHost: WorkerHandOverHost = {
    node: (id) => this.wnodes.get(id),
    liveWorkers: () => this.liveWorkers(),
    transferBytesPerSec: () => this.transferBytesPerSec,
    publishedLayout: () => this.published.layout,
    currentLayout: () => this.published.current(),
    ledger: this.ledger,
    record: (e) => this.record(e),
  }
  /** Adding and removing nodes (workerMembership.ts). */
  private readonly elastic = new WorkerMembership({
    ...this.handOverHost,
    m: this.m,
    nodes: this.wnodes,
    addWorkerNode: (id) => this.addWorkerNode(id),
    startMove: (kind, label, before) => this.startMove(kind, label, before),
    setJoining: (id) => {
      this.published.joining = id
    },
    boot: (w) => this.boot(w),
    terminate: (w) => this.life.terminate(w),
    pushConfig: () => this.published.push(),
    forgetLinks: (id) => {
      this.netFaults = withoutMember(this.netFaults, id)
      this.broadcastFaults()
    },
    isShutDown: () => this.shutDown,
    notify: () => this.notify(),
  })

  constructor(options: ResolvedClusterOptions) {
    super(options)
    for (const id of this.m.members) {
      this.addWorkerNode(id)
      this.ledger.set(id, this.published.layout)
    }
  }

  private addWorkerNode(id: NodeId): WorkerNode {
    const w: WorkerNode = {
      killed: killSwitch(),
      incarnation: 0,
      booting: null,
      id,
      index: nodeIndex(id),
      status: 'down',
      worker: null,
      api: null,
      skewMs: 0,
      diskFaults: { ...NO_DISK_FAULTS },
      snapshot: emptySnapshot(id, 'down', 0),
    }
    this.wnodes.set(id, w)
    return w
  }

  // ---- membership (workerMembership.ts) ------------------------------------------------------

  async addNode(): Promise<NodeId> {
    this.assertOpen()
    return this.elastic.addNode()
  }

  async removeNode(ref: number | string): Promise<void> {
    return this.elastic.removeNode(this.wnode(ref))
  }

  protected streamMoved(before: MembershipSnapshot, move: MoveRecord): Promise<void> {
    return handOver(this.handOverHost, this.liveWorkers(), before, move)
  }

  protected clockNowMs(): number {
    return Date.now()
  }

  protected catchUp(move: MoveRecord): Promise<void> {
    return catchUp(this.handOverHost, move)
  }

  protected override onHealed(): void {
    this.ledger.payAll(this.liveWorkers().map((x) => x.id))
  }

  protected sendConfig(config: NodeConfig, except: NodeId | null): void {
    for (const w of this.wnodes.values()) if (w.id !== except) void w.api?.setConfig(config)
  }

  protected afterPublish(): void {
    this.notify()
  }

  private liveWorkers(): WorkerNode[] {
    return [...this.wnodes.values()].filter((x) => x.status === 'up' && x.api)
  }

  /** Boots every node; one that fails to open is left `failed` and the rest of the cluster runs. */
  async start(): Promise<void> {
    await Promise.all(
      this.m.members.map((id) => this.boot(this.wnodes.get(id)!, { initial: true }).catch(() => {})),
    )
    this.notify()
  }

  get nodes(): readonly NodeSummary[] {
    return this.m.members.map((id) => {
      const w = this.wnodes.get(id)!
      return { id, index: w.index, status: w.status }
    })
  }

  private boot(w: WorkerNode, plan?: BootPlan): Promise<void> {
    return this.life.boot(w, plan)
  }

  private readonly bootHost = ((c: WorkerCluster) => ({
    configFor: (id: NodeId) => (id === c.published.joining ? c.m.config : c.published.config),
    get options() {
      return c.options
    },
    get faults() {
      return c.netFaults
    },
    get pausedAll() {
      return c.pausedAll
    },
    nodes: () => c.wnodes.values(),
    onUpdate: (w: WorkerNode, u: WorkerUpdate) => c.onUpdate(w, u),
    record: (e: ClusterEvent) => c.record(e),
    notify: () => c.notify(),
  }))(this)

  /** Boot, kill, restart, rebuild, pause, resume, disk faults, shutdown (workerLifecycle.ts). */
  private readonly life = new WorkerLifecycle({
    boot: this.bootHost,
    options: this.options,
    nodes: () => this.wnodes.values(),
    onBooted: (w) => {
      for (const r of this.routers.values()) r.link(w)
    },
    payOwed: (id) => void this.ledger.pay(id),
    refillFromPeers: () => {
      for (const n of this.m.members)
        if (this.wnodes.get(n)?.status === 'up') void this.antiEntropy(n).catch(() => {})
    },
    record: (e) => this.record(e),
    notify: () => this.notify(),
  })

  private onUpdate(w: WorkerNode, u: WorkerUpdate): void {
    if (w.status === 'down' || w.status === 'failed') return
    this.workloads.add(u.workload)
    this.workloads.addHistory(u.history)
    w.snapshot = u.snapshot
    for (const [peer, n] of Object.entries(u.sentByPeer)) {
      const k = `${w.id}>${peer}`
      this.traffic[k] = (this.traffic[k] ?? 0) + n
    }
    for (const e of u.events) this.record(e)
    this.notify()
  }

  /** Routing nodes started by startRouter, by id; each is linked to every node that boots. */
  private readonly routers = new Map<string, WorkerRouter>()
  private routerSeq = 0

  async startRouter(): Promise<Router> {
    this.assertOpen()
    const id = `router_${this.routerSeq++}`
    const r = startWorkerRouter(
      id,
      this.getPartitionMap(),
      this.liveWorkers(),
      (l) => this.onPartitionMap(l),
      () => this.routers.delete(id),
    )
    this.routers.set(id, r)
    return r.router
  }

  private readonly workloads = new NodeWorkloads(
    () => this.wnodes.values(),
    (key, n) => this.metrics.note(key, n),
    () => this.published.current().n,
  )
  /** The running node-side workload's spec (restarted with the new salts when salting changes). */
  private workloadSpec: WorkloadSpec | null = null

  /** The nodes' generators salt as the Cluster API does and feed its hot-spot metrics. */
  async startWorkload(spec: WorkloadSpec): Promise<void> {
    this.assertOpen()
    const salted = this.salts.entries()
    await this.workloads.start(salted.length > 0 ? { ...spec, salted } : spec)
    this.workloadSpec = spec
  }

  stopWorkload(): Promise<void> {
    this.workloadSpec = null
    return this.workloads.stop()
  }

  async setWorkloadCeiling(fraction: number): Promise<void> {
    this.assertOpen()
    return this.workloads.setCeiling(fraction)
  }

  protected override onSaltsChanged(): void {
    if (this.workloadSpec) void this.startWorkload(this.workloadSpec).catch(() => {})
  }

  takeWorkloadTally(): WorkloadTally {
    return this.workloads.take()
  }

  takeWorkloadHistory(): TapBatch[] {
    return this.workloads.takeHistory()
  }

  private record(e: ClusterEvent): void {
    this.updates.record(e)
  }

  private notify(): void {
    this.updates.notify()
  }

  subscribe(listener: (u: ClusterUpdate) => void): () => void {
    this.assertOpen()
    return this.updates.subscribe(listener)
  }

  private wnode(ref: number | string): WorkerNode {
    this.assertOpen()
    return this.wnodes.get(resolveNodeRef(ref, this.m.members))!
  }

  // ---- lifecycle faults -----------------------------------------------------------------------

  /** Kills a node for real: worker.terminate(); its volatile state is gone, its IndexedDB stays. */
  async kill(ref: number | string): Promise<void> {
    return this.life.kill(this.wnode(ref))
  }

  /** Boots a down or failed node; callers during a boot get the same promise. */
  restart(ref: number | string): Promise<void> {
    let w: WorkerNode
    try {
      w = this.wnode(ref)
    } catch (e) {
      return Promise.reject(e)
    }
    return this.life.restart(w)
  }

  /** Deletes the node's database and boots it empty; peers refill it (workerLifecycle.ts). */
  async rebuildNode(ref: number | string): Promise<void> {
    return this.life.rebuild(this.wnode(ref))
  }

  async pause(ref: number | string): Promise<void> {
    return this.life.pause(this.wnode(ref))
  }

  async resume(ref: number | string): Promise<void> {
    return this.life.resume(this.wnode(ref))
  }

  // ---- network faults -------------------------------------------------------------------------

  protected override onFaultsChanged(): void {
    this.broadcastFaults()
  }

  private broadcastFaults(): void {
    for (const w of this.wnodes.values()) void w.api?.setFaults(this.netFaults)
  }

  async setDiskFaults(ref: number | string, faults: Partial<DiskFaults>): Promise<DiskFaults> {
    this.assertOpen()
    return this.life.setDiskFaults(this.wnode(ref), faults)
  }

  setClockSkew(ref: number | string, skewMs: number): void {
    checkSkew(skewMs)
    const w = this.wnode(ref)
    w.skewMs = skewMs
    void w.api?.setSkew(skewMs)
  }

  // ---- client operations ----------------------------------------------------------------------

  protected write(
    ref: number | string,
    key: string,
    value: string | null,
    opts: WriteOptions,
  ): Promise<WriteResult> {
    return this.ops.write(ref, key, value, opts)
  }

  protected readAt(ref: number | string, key: string, opts: OpOptions = {}): Promise<ReadResult> {
    return this.ops.readAt(ref, key, opts)
  }

  inspect(): Promise<ClusterInspection>
  inspect(ref: number | string): Promise<NodeInspection>
  async inspect(ref?: number | string): Promise<NodeInspection | ClusterInspection> {
    if (ref === undefined) return this.inspectCluster()
    const w = this.wnode(ref)
    if (w.status === 'failed') return { id: w.id, status: w.status, snapshot: w.snapshot, failure: w.failure }
    if (w.status === 'down' || !w.api) return { id: w.id, status: w.status, snapshot: null }
    const details = unwrap(await Promise.race([w.api.inspect(), w.killed.promise]))
    return { id: w.id, status: w.status, snapshot: w.snapshot, ...details }
  }

  /** Polls the workers until nothing is in flight or deliverable (real time; bounded). */
  async settle(opts: { timeoutMs?: number } = {}): Promise<void> {
    this.assertOpen()
    return settleWorkers(
      () => this.wnodes,
      () => this.netFaults,
      opts.timeoutMs,
    )
  }

  async scan(ref: number | string, opts: { start?: string; limit?: number } = {}): Promise<ScanPage> {
    return unwrap(await this.ops.callLive<Outcome<ScanPage>>(ref, (api) => api.scan(opts)))
  }

  protected async nodeQuery<Q extends NodeQuery>(ref: number | string, q: Q): Promise<NodeQueryAnswer<Q>> {
    const out = await this.ops.callLive<Outcome<unknown>>(ref, (api) => api.query(q))
    return unwrap(out) as NodeQueryAnswer<Q>
  }

  async antiEntropy(ref: number | string, opts: AntiEntropyOptions = {}): Promise<ExchangeStats[]> {
    const o = this.antiEntropyFilter(opts)
    return unwrap(await this.ops.callLive<Outcome<ExchangeStats[]>>(ref, (api) => api.antiEntropy(o)))
  }

  async flush(ref: number | string): Promise<StorageActionResult> {
    return unwrap(await this.ops.callLive<Outcome<StorageActionResult>>(ref, (api) => api.storage('flush')))
  }

  async compact(ref: number | string): Promise<StorageActionResult> {
    return unwrap(await this.ops.callLive<Outcome<StorageActionResult>>(ref, (api) => api.storage('compact')))
  }

  /** Pause/resume every node (the worker runtime runs in real time: no speed or single-step). */
  readonly time: TimeControl = workerTime(this)

  get allPaused(): boolean {
    return this.pausedAll
  }

  setAllPaused(paused: boolean): void {
    this.pausedAll = paused
    for (const w of this.wnodes.values()) {
      if (paused && w.status === 'up') void this.pause(w.id)
      if (!paused && w.status === 'paused') void this.resume(w.id)
    }
  }

  /** Stops every worker; with deleteData, also deletes the nodes' IndexedDB databases. */
  async shutdown(opts: { deleteData?: boolean } = {}): Promise<void> {
    if (this.shutDown) return
    const deleteData = opts.deleteData ?? false
    await Promise.all([...this.wnodes.values()].map((w) => this.life.shutdown(w, deleteData)))
    for (const r of [...this.routers.values()]) await r.router.stop()
    this.shutDown = true
    this.updates.clear()
  }
}

/** Creates and starts a worker-runtime cluster. */
export async function createWorkerCluster(opts: ResolvedClusterOptions): Promise<Cluster> {
  if (typeof Worker === 'undefined')
    throw dbError('BAD_CONFIG', "runtime 'worker' needs Web Workers (a browser)")
  const c = new WorkerCluster(opts)
  await c.start()
  return c
}
