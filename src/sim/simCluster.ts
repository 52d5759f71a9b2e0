/**
 * The simulator runtime of the Cluster API: every node is the real DbNode over a MemoryDisk, messages
 * travel through a simulated network that applies the same fault rules as the worker runtime, and
 * time is virtual. Client operations advance virtual time until they complete. The pieces: node
 * lifecycle (simLifecycle.ts), the network (simNetwork.ts), adding and removing nodes
 * (simMembership.ts), hand-over passes (simHandOver.ts), events and updates (simUpdates.ts).
 */

import { ClusterBase } from '../cluster/clusterBase'
import { checkSkew, withoutMember } from '../cluster/faultRules'
import type { MembershipSnapshot } from '../cluster/membership'
import type { MoveRecord } from '../cluster/moveProgress'
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
  StepInfo,
  TimeControl,
  WriteOptions,
  WriteResult,
} from '../cluster/types'
import type { ExchangeStats } from '../core/antiEntropy/exchangeStats'
import type { DiskFaults } from '../core/disk/faultyDisk'
import type { MemoryDisk } from '../core/disk/memoryDisk'
import type { ClusterEvent, EventBuffer } from '../core/events'
import type { NodeId } from '../core/ids'
import type { DbNode, EngineFactory } from '../core/node/dbNode'
import { inspectNode } from '../core/node/inspect'
import type { NodeConfig } from '../core/node/nodeConfig'
import { clientRead, clientWrite } from '../core/node/ownerRouting'
import type { StorageActionResult } from '../core/node/storageControl'
import type { NodeQuery, NodeQueryAnswer } from '../core/query/nodeQuery'
import { seededRandom } from '../core/random'
import type { RouterCore } from '../core/router/routerCore'
import type { WorkloadSpec, WorkloadTally } from '../core/workload/generator'
import type { TapBatch } from '../core/workload/historyTap'
import { createNodeEngine } from '../runtime/nodeStorage'
import { SimClientOps } from './simClientOps'
import { handOver, type SimHandOverHost, catchUp as simCatchUp, simLedger } from './simHandOver'
import { type LiveSimNode, SimLifecycle, type SimNode } from './simLifecycle'
import { SimMembership } from './simMembership'
import { SimNetwork } from './simNetwork'
import { SimNodeTable } from './simNodeTable'
import { simRouterClient, simRouterCore } from './simRouter'
import { makeSimTime } from './simTime'
import { SimUpdates } from './simUpdates'
import { Simulator } from './simulator'
import { SimWorkloads } from './simWorkload'
import { TimeDriver } from './timeDriver'

export interface SimClusterHooks {
  /** Every event, unbuffered (tests count applies per op here). */
  onEvent?: (e: ClusterEvent) => void
  /** Storage engine per node; defaults to the LSM engine wired by the runtime. */
  createEngine?: EngineFactory
  /** Base one-way network latency in virtual ms. */
  baseLatencyMs?: number
  /** Record send/deliver events (off for benchmarks). */
  traceMessages?: boolean
}

export class SimCluster extends ClusterBase implements Cluster {
  readonly runtime = 'sim' as const
  readonly sim = new Simulator()
  /** The nodes by id (simNodeTable.ts). */
  private readonly simNodes = new SimNodeTable(this.options.dbPrefix)
  private readonly netRandom = seededRandom(this.options.seed).fork()
  /** Events: the buffer, hooks, taps and subscribers' batches (simUpdates.ts). */
  private readonly updates = new SimUpdates(
    (e) => this.hooks.onEvent?.(e),
    () => this.simNodes.snapshots(),
  )
  readonly events: EventBuffer = this.updates.events
  /** One time-advancing loop at a time: client ops, settle, runFor, the page's clock. */
  private readonly time$ = new TimeDriver(this.sim, () => this.flushUpdates())
  /** The simulated network (simNetwork.ts): fault rules, delays, traces, routers. */
  private readonly net = new SimNetwork({
    sim: this.sim,
    random: this.netRandom,
    trace: () => this.hooks.traceMessages !== false,
    faults: () => this.netFaults,
    traffic: this.traffic,
    node: (id) => this.simNodes.get(id),
    record: (e) => this.record(e),
  })
  private readonly createEngine: EngineFactory

  /** What hand-overs use (simHandOver.ts). */
  private readonly handOverHost: SimHandOverHost = {
    sim: this.sim,
    node: (id) => this.simNodes.get(id),
    liveNodes: () => this.liveNodes(),
    transferBytesPerSec: () => this.transferBytesPerSec,
    publishedLayout: () => this.published.layout,
    record: (e) => this.record(e),
    drive: (p) => this.drive(p),
  }
  /** Which map each node's rows are laid out by; the hand-overs still owed (handOverLedger.ts). */
  private readonly ledger = simLedger(this.handOverHost)
  /** Boot, kill, restart, rebuild, pause, resume, disk faults (simLifecycle.ts). */
  private readonly life = new SimLifecycle({
    sim: this.sim,
    seed: this.options.seed,
    dbPrefix: this.options.dbPrefix,
    netRandom: this.netRandom,
    createEngine: (env, config) => this.createEngine(env, config),
    publishedConfig: () => this.published.config,
    transmit: (from, to, msg) => this.net.transmit(from, to, msg),
    record: (e) => this.record(e),
    drive: (p) => this.drive(p),
    payOwed: (id) => void this.ledger.pay(id),
    flushUpdates: () => this.flushUpdates(),
  })
  /** Adding and removing nodes (simMembership.ts). */
  private readonly elastic = new SimMembership({
    ...this.handOverHost,
    m: this.m,
    ledger: this.ledger,
    nodes: this.simNodes.byId,
    dbPrefix: this.options.dbPrefix,
    currentLayout: () => this.published.current(),
    startMove: (kind, label, before) => this.startMove(kind, label, before),
    setJoining: (id) => {
      this.published.joining = id
    },
    boot: (s, config) => this.life.boot(s, config),
    stopIncarnation: (s) => this.life.stopIncarnation(s),
    pushConfig: () => this.published.push(),
    forgetLinks: (id) => {
      this.netFaults = withoutMember(this.netFaults, id)
    },
    flushUpdates: () => this.flushUpdates(),
  })

  /** Writes, reads and node calls through one node (simClientOps.ts). */
  private readonly ops = new SimClientOps({
    sim: this.sim,
    node: (ref) => this.simNode(ref),
    dbNode: (s) => this.simNodes.dbNode(s),
    joining: () => this.published.joining,
    drive: (p) => this.drive(p),
  })

  constructor(
    options: ResolvedClusterOptions,
    private readonly hooks: SimClusterHooks = {},
  ) {
    super(options, hooks.baseLatencyMs ?? 1)
    this.createEngine = hooks.createEngine ?? createNodeEngine
    for (const id of this.m.members) {
      this.simNodes.add(id)
      this.ledger.set(id, this.published.layout)
    }
  }

  /** Messages sent, delivered and dropped (for benchmarks and the dashboard). */
  get counters(): { sent: number; delivered: number; dropped: number } {
    return this.net.counters
  }

  // ---- membership -----------------------------------------------------------------------------

  async addNode(): Promise<NodeId> {
    this.assertOpen()
    return this.elastic.addNode()
  }

  async removeNode(ref: number | string): Promise<void> {
    return this.elastic.removeNode(this.simNode(ref))
  }

  protected streamMoved(before: MembershipSnapshot, move: MoveRecord): Promise<void> {
    return handOver(this.handOverHost, this.liveNodes(), this.published.current(), before, move)
  }

  protected clockNowMs(): number {
    return this.sim.nowMs
  }

  protected catchUp(move: MoveRecord): Promise<void> {
    return simCatchUp(this.handOverHost, this.ledger, move)
  }

  protected sendConfig(config: NodeConfig, except: NodeId | null): void {
    for (const s of this.simNodes.values()) if (s.id !== except) s.node?.reconfigure(config)
  }

  protected afterPublish(): void {
    this.flushUpdates()
  }

  /** Every node that is up (not paused, not down). */
  private liveNodes(): LiveSimNode[] {
    return this.simNodes.live()
  }

  protected override onHealed(): void {
    this.ledger.payAll(this.liveNodes().map((s) => s.id))
  }

  /** Opens every node; createCluster awaits this. */
  async start(): Promise<void> {
    await this.drive(
      Promise.all(
        this.m.members.map((id) => this.life.boot(this.simNodes.get(id)!, undefined, { initial: true })),
      ).then(() => {}),
    )
  }

  get nodes(): readonly NodeSummary[] {
    return this.simNodes.summaries(this.m.members)
  }

  // ---- node lifecycle (simLifecycle.ts) -------------------------------------------------------

  async kill(ref: number | string): Promise<void> {
    return this.life.kill(this.simNode(ref))
  }

  async restart(ref: number | string): Promise<void> {
    return this.life.restart(this.simNode(ref))
  }

  /** Deletes one node's disk and restarts it empty; peers refill it (simLifecycle.ts). */
  async rebuildNode(ref: number | string): Promise<void> {
    return this.life.rebuild(this.simNode(ref))
  }

  async pause(ref: number | string): Promise<void> {
    this.life.pause(this.simNode(ref))
  }

  async resume(ref: number | string): Promise<void> {
    this.life.resume(this.simNode(ref))
  }

  setClockSkew(ref: number | string, skewMs: number): void {
    checkSkew(skewMs)
    this.simNode(ref).skewMs = skewMs
  }

  async setDiskFaults(ref: number | string, faults: Partial<DiskFaults>): Promise<DiskFaults> {
    this.assertOpen()
    return this.life.setDiskFaults(this.simNode(ref), faults)
  }

  /** The live DbNode (tests reach into it); throws NODE_DOWN when it is down. */
  liveNode(ref: number | string): DbNode {
    return this.ops.liveNode(ref)
  }

  disk(ref: number | string): MemoryDisk {
    return this.simNode(ref).disk
  }

  private simNode(ref: number | string): SimNode {
    this.assertOpen()
    return this.simNodes.resolve(ref, this.m.members)
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

  /** Starts a routing process on the simulated network (simRouter.ts). */
  async startRouter(): Promise<Router> {
    this.assertOpen()
    const routers = this.net.routers
    const id = `router_${routers.size}` as NodeId
    const core = simRouterCore(id, this.sim, (to, m) => this.net.transmit(id, to, m), this.getPartitionMap())
    routers.set(id, core)
    return simRouterClient(
      core,
      this.sim,
      (p) => this.drive(p),
      this.onPartitionMap(core.setMap.bind(core)),
      () => routers.delete(id),
    )
  }

  /** The routing process behind a router id (tests count what it routed). */
  routerCore(id: string): RouterCore | undefined {
    return this.net.routers.get(id as NodeId)
  }

  // ---- time -----------------------------------------------------------------------------------

  /** Advances virtual time until `p` settles (see TimeDriver). */
  drive<T>(p: Promise<T>): Promise<T> {
    return this.time$.drive(p)
  }

  /** Client operations advance virtual time themselves when true (the default in Node). */
  get autoDrive(): boolean {
    return this.time$.autoDrive
  }

  set autoDrive(on: boolean) {
    this.time$.autoDrive = on
  }

  /** True when no work message is in flight and every live node has nothing it can still deliver. */
  quiescent(): boolean {
    if (this.elastic.draining.size > 0) return false
    return this.net.quiescent(this.simNodes.values(), (id) => this.ledger.busy(id))
  }

  async settle(opts: { timeoutMs?: number } = {}): Promise<void> {
    this.assertOpen()
    await this.time$.loop(() => this.sim.runUntil(() => this.quiescent(), opts.timeoutMs ?? 60_000))
  }

  /** Runs the next event (single-step in the page) and says what it was. */
  async stepOnce(): Promise<StepInfo | null> {
    const ran = await this.time$.loop(() => this.sim.stepOne())
    if (!ran) return null
    const events = [...this.sim.lastRan]
    return { tMs: this.sim.nowMs, ran: events.map((e) => e.text), events }
  }

  /** Advances virtual time to exactly `tMs` (a replay reaching a recorded instant). */
  async runToMs(tMs: number): Promise<void> {
    await this.time$.loop(() => this.sim.runToMs(tMs))
  }

  /** Resolves once the loop moving time now (the page's clock tick) has finished; runs nothing. */
  async idle(): Promise<void> {
    await this.time$.loop(async () => {})
  }

  /** Advances virtual time by `ms` (the page's clock, or a test waiting for timers). */
  async runFor(ms: number): Promise<void> {
    await this.time$.loop(() => this.sim.runFor(ms))
  }

  /** Virtual time control. Client operations always advance time; the page also runs a real-time clock. */
  readonly time: TimeControl = makeSimTime(this)

  // ---- observation ----------------------------------------------------------------------------

  inspect(): Promise<ClusterInspection>
  inspect(ref: number | string): Promise<NodeInspection>
  async inspect(ref?: number | string): Promise<NodeInspection | ClusterInspection> {
    if (ref === undefined) return this.inspectCluster()
    const s = this.simNode(ref)
    if (!s.node) return { id: s.id, status: s.status, snapshot: null }
    return { id: s.id, status: s.status, snapshot: this.simNodes.snapshot(s), ...inspectNode(s.node) }
  }

  /** Calls `fn` with every event from now on; returns the unsubscribe. */
  tapEvents(fn: (e: ClusterEvent) => void): () => void {
    return this.updates.tap(fn)
  }

  private record(e: ClusterEvent): void {
    this.updates.record(e)
  }

  subscribe(listener: (u: ClusterUpdate) => void): () => void {
    this.assertOpen()
    return this.updates.subscribe(listener)
  }

  /** Sends one batch (node snapshots + events since the last batch) to subscribers. */
  flushUpdates(): void {
    this.updates.flush()
  }

  // ---- workload -------------------------------------------------------------------------------

  /** The workload generator on virtual time (simWorkload.ts): part of the deterministic run. */
  private readonly workloads = new SimWorkloads({
    sim: this.sim,
    liveNodes: () => this.liveNodes().map((s) => s.node),
    write: (node, key, value, level) => this.ops.whileAlive(node.id, clientWrite(node, key, value, level)),
    read: (node, key, level) => this.ops.whileAlive(node.id, clientRead(node, key, level)),
    onKeyOps: (key, n) => this.metrics.note(key, n),
  })

  async startWorkload(spec: WorkloadSpec): Promise<void> {
    this.assertOpen()
    const salted = this.salts.entries()
    this.workloads.start(salted.length > 0 ? { ...spec, salted } : spec)
  }

  async stopWorkload(): Promise<void> {
    this.workloads.stop()
  }

  takeWorkloadTally(): WorkloadTally {
    return this.workloads.take()
  }

  takeWorkloadHistory(): TapBatch[] {
    const b = this.workloads.takeHistory()
    return b ? [b] : []
  }

  // ---- node calls -----------------------------------------------------------------------------

  async scan(ref: number | string, opts: { start?: string; limit?: number } = {}): Promise<ScanPage> {
    return this.ops.scan(ref, opts)
  }

  protected async nodeQuery<Q extends NodeQuery>(ref: number | string, q: Q): Promise<NodeQueryAnswer<Q>> {
    return this.ops.nodeQuery(ref, q)
  }

  async antiEntropy(ref: number | string, opts: AntiEntropyOptions = {}): Promise<ExchangeStats[]> {
    return this.ops.antiEntropy(ref, () => this.antiEntropyFilter(opts))
  }

  async flush(ref: number | string): Promise<StorageActionResult> {
    return this.ops.storage(ref, 'flush')
  }

  async compact(ref: number | string): Promise<StorageActionResult> {
    return this.ops.storage(ref, 'compact')
  }

  async shutdown(opts: { deleteData?: boolean } = {}): Promise<void> {
    if (opts.deleteData) for (const s of this.simNodes.values()) await s.disk.destroy()
    this.time.pause()
    this.workloads.stop()
    for (const s of this.simNodes.values()) s.node?.stop()
    for (const r of this.net.routers.values()) r.stop()
    this.shutDown = true
    this.updates.clear()
  }
}
