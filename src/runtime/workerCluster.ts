/**
 * The worker runtime of the Cluster API, on the page's main thread. It starts one Web Worker per
 * node, wires a direct MessageChannel between every pair of nodes (node traffic never passes through
 * the page), broadcasts fault rules to the workers, and merges their coalesced update streams.
 */

import type { Remote } from 'comlink'
import type { ClientAnswer } from '../../workers/clientPort'
import type { NodeWorkerApi, Outcome, WorkerUpdate } from '../../workers/nodeWorkerApi'
import { ClusterBase } from '../cluster/clusterBase'
import { describeDiskFaults, TORN_TAIL_DETAIL } from '../cluster/diskFaultText'
import { checkSkew, withoutMember } from '../cluster/faultRules'
import type { Layout } from '../cluster/handOverLedger'
import { type PassStreamer, runCatchUpPass, runHandOverPass } from '../cluster/handOverPass'
import { type MembershipSnapshot, priorOf } from '../cluster/membership'
import type { MoveRecord } from '../cluster/moveProgress'
import { resolveNodeRef } from '../cluster/options'
import { emptySnapshot, writeIntentOf } from '../cluster/results'
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
  Topology,
  WriteOptions,
  WriteResult,
} from '../cluster/types'
import type { ExchangeStats } from '../core/antiEntropy/exchangeStats'
import { type DiskFaults, mergeDiskFaults, NO_DISK_FAULTS } from '../core/disk/faultyDisk'
import { dbError } from '../core/errors'
import type { ClusterEvent } from '../core/events'
import { type NodeId, nodeIndex } from '../core/ids'
import { handOverText } from '../core/node/handOff'
import type { NodeConfig } from '../core/node/nodeConfig'
import type { StorageActionResult } from '../core/node/storageControl'
import type { NodeQuery, NodeQueryAnswer } from '../core/query/nodeQuery'
import type { WorkloadSpec, WorkloadTally } from '../core/workload/generator'
import type { TapBatch } from '../core/workload/historyTap'
import type { ClientLink } from './clientLink'
import { type BootPlan, bootNode, ownSeqSeenByPeers } from './nodeBoot'
import { NodeWorkloads } from './nodeWorkloads'
import { unwrap } from './outcome'
import { settleWorkers } from './settle'
import { workerCount, workerStream } from './workerHandOver'
import { readyToRetire, workerLedger } from './workerLedger'
import { bounded, dbNameOf, deleteDatabase, killSwitch, OPEN_TIMEOUT_MS, type WorkerNode } from './workerNode'
import { startWorkerRouter, type WorkerRouter } from './workerRouter'
import { workerTime } from './workerTime'

/** How long a kill waits for a worker to leave its torn WAL tail. */
const CRASH_WAIT_MS = 1000

export class WorkerCluster extends ClusterBase implements Cluster {
  readonly runtime = 'worker' as const
  private wnodes = new Map<NodeId, WorkerNode>()
  private listeners = new Set<(u: ClusterUpdate) => void>()
  private pendingEvents: ClusterEvent[] = []
  private flushScheduled = false
  private pausedAll = false
  /** The configuration the nodes were last sent (a restart mid-change boots with it). */
  private published: { config: NodeConfig; layout: Layout }
  /** The node joining now: it opens with the new map and takes no client op until it is published. */
  private joining: NodeId | null = null
  /** Which map each node's rows are laid out by; the hand-overs still owed (workerLedger.ts). */
  private readonly ledger = workerLedger({
    published: () => this.published.layout,
    worker: (id) => this.wnodes.get(id),
    bytesPerSec: () => this.transferBytesPerSec / Math.max(1, this.liveWorkers().length),
    onStats: (id, x) => {
      if (x.rowsSent > 0) this.record({ t: Date.now(), type: 'hand-over', node: id, detail: handOverText(x) })
    },
  })
  constructor(options: ResolvedClusterOptions) {
    super(options)
    this.published = { config: this.m.config, layout: this.currentLayout() }
    for (const id of this.m.members) {
      this.addWorkerNode(id)
      this.ledger.set(id, this.published.layout)
    }
  }

  protected publishedLayout(): Layout {
    return this.published.layout
  }

  private currentLayout(): Layout {
    return { ring: this.m.ring, n: Math.min(this.m.config.replicationFactor, this.m.members.length) }
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

  // ---- membership -----------------------------------------------------------------------------

  async addNode(): Promise<NodeId> {
    this.assertOpen()
    const before = this.m.snapshot()
    const id = this.m.add()
    const w = this.addWorkerNode(id)
    this.joining = id
    this.ledger.set(id, this.currentLayout())
    // The new node boots with the new ring; the others keep the old one until their ranges are in
    // place on it (handOver), so every key stays readable at every N.
    const others = this.liveWorkers().filter((x) => x.id !== id)
    const move = this.startMove('add-node', `add ${id}`, before)
    try {
      await this.boot(w)
      await this.handOver(others, before, move)
    } catch (e) {
      this.terminate(w)
      this.wnodes.delete(id)
      this.ledger.forget(id)
      this.m.restore(before)
      this.joining = null
      move.fail(e)
      this.notify()
      throw e
    }
    this.joining = null
    this.pushConfig()
    move.published(this.m.ring.version)
    // Writes acknowledged while the first pass ran landed on the old owners only: copy them too.
    await this.catchUp(move)
    move.finish()
    this.record({ t: Date.now(), type: 'node-status', node: id, detail: 'joined' })
    this.notify()
    return id
  }

  async removeNode(ref: number | string): Promise<void> {
    const w = this.wnode(ref)
    this.m.checkRemove(w.id, w.status === 'up' || w.status === 'paused')
    const before = this.m.snapshot()
    this.m.remove(w.id)
    const move = this.startMove('remove-node', `remove ${w.id}`, before)
    // The leaving node (when up) and every other replica stream its ranges to their next owners
    // before the ring without it is published.
    const streaming = this.liveWorkers()
    try {
      await this.handOver(streaming, before, move)
    } catch (e) {
      this.m.restore(before)
      move.fail(e)
      throw e
    }
    this.pushConfig()
    move.published(this.m.ring.version)
    await this.catchUp(move)
    move.finish()
    // It goes once its catch-up and hints are delivered; until then it drains (no longer a member,
    // retrying every 2 s) rather than take the only copy of a row with it.
    if (await readyToRetire(this.ledger, w, this.heirOf(w))) this.retired(w)
    else void this.drain(w)
  }

  private heirOf(w: WorkerNode): WorkerNode | undefined {
    return this.liveWorkers().find((x) => x.id !== w.id && this.m.members.includes(x.id))
  }

  private async drain(w: WorkerNode): Promise<void> {
    do await new Promise((r) => setTimeout(r, 2000))
    while (!this.shutDown && !(await readyToRetire(this.ledger, w, this.heirOf(w))))
    this.retired(w)
  }

  private retired(w: WorkerNode): void {
    this.terminate(w)
    this.wnodes.delete(w.id)
    this.ledger.forget(w.id)
    this.netFaults = withoutMember(this.netFaults, w.id)
    this.broadcastFaults()
    this.record({ t: Date.now(), type: 'node-status', node: w.id, detail: 'removed' })
    this.notify()
  }

  protected streamMoved(before: MembershipSnapshot, move: MoveRecord): Promise<void> {
    return this.handOver(this.liveWorkers(), before, move)
  }

  protected clockNowMs(): number {
    return Date.now()
  }

  /**
   * After a publish: one catch-up attempt per live node is awaited (counted and reported into
   * `move`); failures retry through the ledger.
   */
  protected async catchUp(move: MoveRecord): Promise<void> {
    const count = (id: NodeId, from: Layout, to: Layout) => {
      const w = this.wnodes.get(id)
      return w ? workerCount(w, from, to) : Promise.resolve({ rows: 0, bytes: 0 })
    }
    const ids = this.liveWorkers().map((x) => x.id)
    await runCatchUpPass(move, this.transferBytesPerSec, this.ledger, this.published.layout, ids, count)
  }

  protected override onHealed(): void {
    this.ledger.payAll(this.liveWorkers().map((x) => x.id))
  }

  protected publishConfig(): void {
    this.pushConfig()
    this.notify()
  }

  protected resendPublished(): void {
    // A joining node keeps the map it was booted with: it is the one being moved to.
    for (const w of this.wnodes.values())
      if (w.id !== this.joining) void w.api?.setConfig(this.published.config)
    this.publishPartitionMap()
    this.notify()
  }

  private liveWorkers(): WorkerNode[] {
    return [...this.wnodes.values()].filter((x) => x.status === 'up' && x.api)
  }

  /**
   * Each node counts, then streams, the rows the membership's current ring gives to new owners
   * (core/node/handOff.ts); the rate is shared in proportion to the counts, and the page polls each
   * worker's acknowledged rows and bytes for the move's progress.
   */
  private async handOver(
    from: readonly WorkerNode[],
    before: MembershipSnapshot,
    move: MoveRecord,
  ): Promise<void> {
    const to = this.currentLayout()
    const prior = priorOf(before)
    const streamers = from.map(
      (x): PassStreamer => ({
        id: x.id,
        count: () => workerCount(x, prior, to),
        stream: (bytesPerSec, onProgress) => workerStream(x, prior, to, bytesPerSec, onProgress),
      }),
    )
    const stats = await runHandOverPass(move, this.transferBytesPerSec, streamers)
    stats.forEach((x, i) => {
      if (x.rowsSent > 0)
        this.record({ t: Date.now(), type: 'hand-over', node: from[i].id, detail: handOverText(x) })
    })
  }

  setTopology(topology: Topology | null): void {
    this.assertOpen()
    this.m.setTopology(topology)
    this.pushConfig()
  }

  /** Sends the current configuration (members, ring, topology) to every live worker. */
  private pushConfig(): void {
    this.published = { config: this.m.config, layout: this.currentLayout() }
    for (const w of this.wnodes.values()) void w.api?.setConfig(this.m.config)
    this.publishPartitionMap()
  }

  protected override onConfigChanged(): void {
    this.pushConfig()
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

  /** Starts the node's worker, or joins the boot in progress: one incarnation at a time. */
  private boot(w: WorkerNode, plan?: BootPlan): Promise<void> {
    if (w.booting) return w.booting
    const incarnation = ++w.incarnation
    const run = bootNode(this.bootHost, w, incarnation, plan)
      .then(() => {
        for (const r of this.routers.values()) r.link(w)
      })
      .finally(() => {
        if (w.incarnation === incarnation) w.booting = null
      })
    w.booting = run
    return run
  }

  private readonly bootHost = ((c: WorkerCluster) => ({
    configFor: (id: NodeId) => (id === c.joining ? c.m.config : c.published.config),
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
    () => this.currentLayout().n,
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
    if (this.pendingEvents.length < 5000) this.pendingEvents.push(e)
  }

  /** Coalesces updates: listeners hear at most once per animation frame. */
  private notify(): void {
    if (this.flushScheduled || this.listeners.size === 0) return
    this.flushScheduled = true
    const raf =
      typeof requestAnimationFrame === 'function'
        ? requestAnimationFrame
        : (fn: () => void) => setTimeout(fn, 16)
    raf(() => {
      this.flushScheduled = false
      const update: ClusterUpdate = {
        nodes: [...this.wnodes.values()].map((w) => ({ ...w.snapshot, status: w.status })),
        events: this.pendingEvents,
      }
      this.pendingEvents = []
      for (const l of this.listeners) l(update)
    })
  }

  subscribe(listener: (u: ClusterUpdate) => void): () => void {
    this.assertOpen()
    this.listeners.add(listener)
    this.notify()
    return () => this.listeners.delete(listener)
  }

  private wnode(ref: number | string): WorkerNode {
    this.assertOpen()
    return this.wnodes.get(resolveNodeRef(ref, this.m.members))!
  }

  /** A client request on the node's coalescing client port; NODE_DOWN if the node dies first. */
  private callClient(ref: number | string, req: Parameters<ClientLink['request']>[0]): Promise<ClientAnswer> {
    const w = this.wnode(ref)
    if (w.status === 'failed') throw failedError(w)
    if (w.status === 'down' || !w.client) throw dbError('NODE_DOWN', `${w.id} is down`)
    if (w.status === 'paused') throw dbError('NODE_PAUSED', `${w.id} is paused`)
    if (w.id === this.joining)
      throw dbError(
        'NODE_DOWN',
        `${w.id} is still joining: send operations to another node until addNode resolves`,
      )
    return w.client.request(req)
  }

  // comlink's Remote<> distributes Promise<A | B> into Promise<A> | Promise<B>; callers name T.
  private callLive<T>(
    ref: number | string,
    fn: (api: Remote<NodeWorkerApi>) => Promise<unknown>,
  ): Promise<T> {
    const w = this.wnode(ref)
    if (w.status === 'failed') throw failedError(w)
    if (w.status === 'down' || !w.api) throw dbError('NODE_DOWN', `${w.id} is down`)
    if (w.status === 'paused') throw dbError('NODE_PAUSED', `${w.id} is paused`)
    return Promise.race([fn(w.api) as Promise<T>, w.killed.promise])
  }

  // ---- lifecycle faults -----------------------------------------------------------------------

  /** Kills a node for real: worker.terminate(); its volatile state is gone, its IndexedDB stays. */
  async kill(ref: number | string): Promise<void> {
    const w = this.wnode(ref)
    // A torn-tail fault: the worker writes the half-record of a commit in flight before it dies
    // (bounded: a worker that does not answer is terminated anyway).
    if (w.diskFaults.tornTailOnKill && w.status === 'up' && w.api) {
      const torn = await Promise.race([
        w.api.crash().catch(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(false), CRASH_WAIT_MS)),
      ])
      if (torn) this.record({ t: Date.now(), type: 'disk-fault', node: w.id, detail: TORN_TAIL_DETAIL })
    }
    this.terminate(w)
  }

  /** Ends a node's incarnation: its worker (booting or not), and every call still waiting on it. */
  private terminate(w: WorkerNode): void {
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
    this.record({ t: Date.now(), type: 'node-status', node: w.id, detail: 'down' })
    this.notify()
  }

  /** Boots a down or failed node; callers during a boot get the same promise. */
  restart(ref: number | string): Promise<void> {
    let w: WorkerNode
    try {
      w = this.wnode(ref)
    } catch (e) {
      return Promise.reject(e)
    }
    // Concurrent restarts share one boot and get the same promise (one incarnation per node).
    const pending = this.restarts.get(w)
    if (pending) return pending
    if (w.booting) return w.booting
    if (w.status !== 'down' && w.status !== 'failed') return Promise.resolve()
    // Maps published while it was down moved ranges it may hold the only copy of: hand them over.
    const p = this.boot(w)
      .then(() => void this.ledger.pay(w.id))
      .finally(() => this.restarts.delete(w))
    this.restarts.set(w, p)
    return p
  }

  /** Restarts in progress (boot, then the hand-over the node owes), per node. */
  private readonly restarts = new Map<WorkerNode, Promise<void>>()

  /**
   * Deletes the node's database and boots it empty; Merkle rounds from every live node refill it.
   * Its new ops start above the highest seq of its own that a live peer has seen, so peers never
   * take them for ones they already hold.
   */
  async rebuildNode(ref: number | string): Promise<void> {
    const w = this.wnode(ref)
    if (w.booting || w.status === 'up' || w.status === 'paused') await this.kill(w.id)
    const ownSeqFloor = await ownSeqSeenByPeers(this.wnodes.values(), w)
    await this.boot(w, { fresh: true, ownSeqFloor })
    this.record({ t: Date.now(), type: 'node-status', node: w.id, detail: 'rebuilt empty' })
    for (const n of this.m.members)
      if (this.wnodes.get(n)?.status === 'up') void this.antiEntropy(n).catch(() => {})
    this.notify()
  }

  async pause(ref: number | string): Promise<void> {
    const w = this.wnode(ref)
    if (w.status !== 'up') return
    w.status = 'paused'
    // A kill meanwhile ends the wait (a terminated worker never answers); the node is then down.
    await Promise.race([w.api?.pause(), w.killed.promise]).catch(() => {})
    this.record({ t: Date.now(), type: 'node-status', node: w.id, detail: 'paused' })
    this.notify()
  }

  async resume(ref: number | string): Promise<void> {
    const w = this.wnode(ref)
    if (w.status !== 'paused') return
    w.status = 'up'
    await Promise.race([w.api?.resume(), w.killed.promise]).catch(() => {})
    void this.ledger.pay(w.id)
    this.record({ t: Date.now(), type: 'node-status', node: w.id, detail: 'up' })
    this.notify()
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
    const w = this.wnode(ref)
    w.diskFaults = mergeDiskFaults(w.diskFaults, faults)
    await w.api?.setDiskFaults(w.diskFaults)
    this.record({ t: Date.now(), type: 'disk-fault', node: w.id, detail: describeDiskFaults(w.diskFaults) })
    return { ...w.diskFaults }
  }

  setClockSkew(ref: number | string, skewMs: number): void {
    checkSkew(skewMs)
    const w = this.wnode(ref)
    w.skewMs = skewMs
    void w.api?.setSkew(skewMs)
  }

  // ---- client operations ----------------------------------------------------------------------

  protected async write(
    ref: number | string,
    key: string,
    value: string | null,
    opts: WriteOptions,
  ): Promise<WriteResult> {
    if (typeof key !== 'string') throw dbError('BAD_INPUT', `keys are strings, got ${typeof key}`)
    const t0 = performance.now()
    const intent = writeIntentOf(opts)
    const answer = await this.callClient(
      ref,
      intent
        ? { op: 'put', key, value, level: opts.level, intent }
        : { op: 'put', key, value, level: opts.level },
    )
    if (answer.op !== 'put') throw dbError('INTERNAL', 'mismatched answer')
    return { ...unwrap(answer.outcome), latencyMs: performance.now() - t0 }
  }

  protected async readAt(ref: number | string, key: string, opts: OpOptions = {}): Promise<ReadResult> {
    if (typeof key !== 'string') throw dbError('BAD_INPUT', `keys are strings, got ${typeof key}`)
    const t0 = performance.now()
    const answer = await this.callClient(ref, { op: 'read', key, level: opts.level })
    if (answer.op !== 'read') throw dbError('INTERNAL', 'mismatched answer')
    return { ...unwrap(answer.outcome), latencyMs: performance.now() - t0 }
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
    return unwrap(await this.callLive<Outcome<ScanPage>>(ref, (api) => api.scan(opts)))
  }

  protected async nodeQuery<Q extends NodeQuery>(ref: number | string, q: Q): Promise<NodeQueryAnswer<Q>> {
    const out = await this.callLive<Outcome<unknown>>(ref, (api) => api.query(q))
    return unwrap(out) as NodeQueryAnswer<Q>
  }

  async antiEntropy(ref: number | string, opts: AntiEntropyOptions = {}): Promise<ExchangeStats[]> {
    const o = this.antiEntropyFilter(opts)
    return unwrap(await this.callLive<Outcome<ExchangeStats[]>>(ref, (api) => api.antiEntropy(o)))
  }

  async flush(ref: number | string): Promise<StorageActionResult> {
    return unwrap(await this.callLive<Outcome<StorageActionResult>>(ref, (api) => api.storage('flush')))
  }

  async compact(ref: number | string): Promise<StorageActionResult> {
    return unwrap(await this.callLive<Outcome<StorageActionResult>>(ref, (api) => api.storage('compact')))
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
    await Promise.all(
      [...this.wnodes.values()].map(async (w) => {
        const live = w.status === 'up' || w.status === 'paused' ? w.api : null
        const deleteData = opts.deleteData ?? false
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
        if (deleteData && !closed && this.options.persist)
          await deleteDatabase(dbNameOf(this.options.dbPrefix, w.id)).catch(() => {})
      }),
    )
    for (const r of [...this.routers.values()]) await r.router.stop()
    this.shutDown = true
    this.listeners.clear()
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

/** Operations on a failed node: NODE_DOWN, naming why it could not start. */
function failedError(w: WorkerNode): Error {
  const f = w.failure
  return dbError('NODE_DOWN', `${w.id} failed to start${f ? ` (${f.code}: ${f.message})` : ''}`, {
    failure: f,
  })
}
