/**
 * The simulator runtime of the Cluster API: every node is the real DbNode over a MemoryDisk, messages
 * travel through a simulated network that applies the same fault rules as the worker runtime, and
 * time is virtual. Client operations advance virtual time until they complete.
 */

import { ClusterBase } from '../cluster/clusterBase'
import { describeDiskFaults, TORN_TAIL_DETAIL } from '../cluster/diskFaultText'
import { checkSkew, withoutMember } from '../cluster/faultRules'
import { HandOverLedger, type Layout } from '../cluster/handOverLedger'
import { accumulate, type PassStreamer, runCatchUpPass, runHandOverPass } from '../cluster/handOverPass'
import { type KillSwitch, killSwitch } from '../cluster/killSwitch'
import { type MembershipSnapshot, priorOf } from '../cluster/membership'
import type { MoveRecord } from '../cluster/moveProgress'
import { resolveNodeRef } from '../cluster/options'
import { emptySnapshot, toReadResult, writeIntentOf } from '../cluster/results'
import type {
  AntiEntropyOptions,
  Cluster,
  ClusterInspection,
  ClusterUpdate,
  NodeInspection,
  NodeSnapshot,
  NodeStatus,
  NodeSummary,
  OpOptions,
  ReadResult,
  ResolvedClusterOptions,
  Router,
  ScanPage,
  StepInfo,
  TimeControl,
  Topology,
  WriteOptions,
  WriteResult,
} from '../cluster/types'
import type { ExchangeStats } from '../core/antiEntropy/exchangeStats'
import { runAntiEntropy } from '../core/antiEntropy/install'
import { type DiskFaults, FaultyDisk, mergeDiskFaults, NO_DISK_FAULTS } from '../core/disk/faultyDisk'
import { MemoryDisk } from '../core/disk/memoryDisk'
import type { NodeEnv } from '../core/env'
import { dbError } from '../core/errors'
import { type ClusterEvent, EventBuffer } from '../core/events'
import { decideDelivery, linkKey, linkUsable } from '../core/faults/linkRules'
import { type NodeId, nodeIndex } from '../core/ids'
import { DbNode, type EngineFactory, type OpenOptions } from '../core/node/dbNode'
import { countForNewOwners, handOverText, streamToNewOwners } from '../core/node/handOff'
import { inspectNode, nodeSnapshot, scanNode } from '../core/node/inspect'
import { NODE_DEFAULTS, type NodeConfig } from '../core/node/nodeConfig'
import { clientRead, clientWrite } from '../core/node/ownerRouting'
import { runStorageAction, type StorageActionResult } from '../core/node/storageControl'
import type { Message } from '../core/protocol/messages'
import { traceFields } from '../core/protocol/messageTrace'
import { type NodeQuery, type NodeQueryAnswer, runNodeQuery } from '../core/query/nodeQuery'
import { type Random, seededRandom } from '../core/random'
import type { RouterCore } from '../core/router/routerCore'
import type { WorkloadSpec, WorkloadTally } from '../core/workload/generator'
import type { TapBatch } from '../core/workload/historyTap'
import { createNodeEngine } from '../runtime/nodeStorage'
import { simRouterClient, simRouterCore } from './simRouter'
import { makeSimTime } from './simTime'
import { Simulator } from './simulator'
import { SimWorkloads } from './simWorkload'
import { TimeDriver } from './timeDriver'

interface SimNode {
  id: NodeId
  index: number
  disk: MemoryDisk
  node: DbNode | null
  status: NodeStatus
  incarnation: number
  skewMs: number
  /** Deliveries and timers held while the node is paused. */
  held: Array<() => void>
  /** Rejects the client calls this incarnation is coordinating when it is killed. */
  killed: KillSwitch
  /** Injected storage faults (they outlive restarts: same disk) and this incarnation's view of them. */
  diskFaults: DiskFaults
  faulty: FaultyDisk | null
}

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
  readonly events = new EventBuffer(5000)
  private simNodes = new Map<NodeId, SimNode>()
  private netRandom: Random
  private listeners = new Set<(u: ClusterUpdate) => void>()
  private pendingEvents: ClusterEvent[] = []
  private workInFlight = 0
  /** One time-advancing loop at a time: client ops, settle, runFor, the page's clock. */
  private readonly time$ = new TimeDriver(this.sim, () => this.flushUpdates())
  /** Messages sent, delivered and dropped (for benchmarks and the dashboard). */
  counters = { sent: 0, delivered: 0, dropped: 0 }
  private readonly createEngine: EngineFactory
  /** Routing processes on the simulated network (startRouter), by id. */
  private readonly routers = new Map<NodeId, RouterCore>()
  /** The configuration the nodes were last sent (a restart mid-change boots with it, not the next one). */
  private published: { config: NodeConfig; layout: Layout }
  /** Which map each node's rows are laid out by; the hand-overs still owed (handOverLedger.ts). */
  private readonly ledger = new HandOverLedger({
    published: () => this.published.layout,
    stream: (id, from, to, pass) => {
      const s = this.simNodes.get(id)
      if (!s?.node || s.status !== 'up') return null
      const bytesPerSec = pass?.bytesPerSec ?? this.transferBytesPerSec / Math.max(1, this.liveNodes().length)
      const onSent = pass && accumulate((rows, bytes) => pass.onProgress(rows, bytes))
      const plan = { ring: to.ring, n: to.n, bytesPerSec, before: from, onSent }
      const streaming = streamToNewOwners(s.node, plan)
      // A node killed mid-stream never fires its request timeouts: its kill ends the stream.
      return Promise.race([streaming, s.killed.promise]).then((x) => {
        if (x.rowsSent > 0)
          this.record({ t: this.sim.nowMs, type: 'hand-over', node: id, detail: handOverText(x) })
      })
    },
    later: (ms, fn) => this.sim.schedule(ms, fn, () => ({ text: 'hand-over retry' })),
    lateMs: 2 * NODE_DEFAULTS.requestTimeoutMs,
  })

  constructor(
    options: ResolvedClusterOptions,
    private readonly hooks: SimClusterHooks = {},
  ) {
    super(options, hooks.baseLatencyMs ?? 1)
    const root = seededRandom(options.seed)
    this.netRandom = root.fork()
    this.createEngine = hooks.createEngine ?? createNodeEngine
    this.published = { config: this.m.config, layout: this.currentLayout() }
    for (const id of this.m.members) {
      this.addSimNode(id)
      this.ledger.set(id, this.published.layout)
    }
  }

  protected publishedLayout(): Layout {
    return this.published.layout
  }

  private currentLayout(): Layout {
    return { ring: this.m.ring, n: Math.min(this.m.config.replicationFactor, this.m.members.length) }
  }

  private addSimNode(id: NodeId): SimNode {
    const s: SimNode = {
      id,
      index: nodeIndex(id),
      disk: new MemoryDisk(`${this.options.dbPrefix}-${id}`),
      node: null,
      status: 'down',
      incarnation: 0,
      skewMs: 0,
      held: [],
      killed: killSwitch(),
      diskFaults: { ...NO_DISK_FAULTS },
      faulty: null,
    }
    this.simNodes.set(id, s)
    return s
  }

  // ---- membership -----------------------------------------------------------------------------

  async addNode(): Promise<NodeId> {
    this.assertOpen()
    const before = this.m.snapshot()
    const id = this.m.add()
    const s = this.addSimNode(id)
    // The new node starts with the new ring; the others keep the old one until their ranges are in
    // place on it (handOver), so every key stays readable at every N.
    const move = this.startMove('add-node', `add ${id}`, before)
    this.joining = id
    await this.drive(this.boot(s, this.m.config))
    this.ledger.set(id, this.currentLayout())
    const others = this.liveNodes().filter((n) => n.id !== id)
    try {
      await this.handOver(others, before, move)
    } catch (e) {
      this.stopIncarnation(s)
      this.simNodes.delete(id)
      this.ledger.forget(id)
      this.m.restore(before)
      this.joining = null
      move.fail(e)
      throw e
    }
    this.joining = null
    this.pushConfig()
    move.published(this.m.ring.version)
    // Writes acknowledged while the first pass ran landed on the old owners only: copy them too.
    await this.catchUp(move)
    move.finish()
    this.record({ t: this.sim.nowMs, type: 'node-status', node: id, detail: 'joined' })
    this.flushUpdates()
    return id
  }

  async removeNode(ref: number | string): Promise<void> {
    const s = this.simNode(ref)
    this.m.checkRemove(s.id, s.status !== 'down')
    const before = this.m.snapshot()
    this.m.remove(s.id)
    const move = this.startMove('remove-node', `remove ${s.id}`, before)
    // The leaving node (when up) and every other replica stream its ranges to their next owners
    // before the ring without it is published.
    const streaming = this.liveNodes()
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
    // The leaving node goes once its catch-up has landed (it may hold the only copy, N = 1) and the
    // hints it keeps as a stand-in are with a node that stays. When a new owner is unreachable it
    // drains in the background — no longer a member, still retrying — rather than take rows with it
    // (the elastic sweep's seed 25: an owner killed during the removal).
    if (!(await this.drive(this.retire(s, 1)))) {
      const draining = this.retire(s, Number.POSITIVE_INFINITY)
      this.draining.add(draining)
      void draining.finally(() => this.draining.delete(draining))
    }
  }

  /** Removals still draining (settle waits for them). */
  private readonly draining = new Set<Promise<boolean>>()

  /**
   * Stops a node removed from the membership once what it owes is delivered, trying up to `rounds`
   * ledger rounds (2 s between tries); true when it was stopped, false when it is still needed.
   */
  private async retire(s: SimNode, rounds: number): Promise<boolean> {
    for (let round = 0; round < rounds; round++) {
      if (!s.node || s.status === 'down') break // killed meanwhile: nothing left to hand over
      const paid = await this.ledger.pay(s.id)
      const heir = this.liveNodes().find((x) => x.id !== s.id && this.m.members.includes(x.id))
      const hinted =
        paid && s.node && heir
          ? await s.node.handoff.handOverHints(heir.id).then(
              () => true,
              () => false,
            )
          : paid && !heir
      if (paid && hinted) break
      if (round + 1 >= rounds) return false
      await new Promise<void>((r) => this.sim.schedule(2000, r, () => ({ text: `drain ${s.id}` })))
    }
    this.stopIncarnation(s)
    this.simNodes.delete(s.id)
    this.ledger.forget(s.id)
    this.netFaults = withoutMember(this.netFaults, s.id)
    this.record({ t: this.sim.nowMs, type: 'node-status', node: s.id, detail: 'removed' })
    this.flushUpdates()
    return true
  }

  protected streamMoved(before: MembershipSnapshot, move: MoveRecord): Promise<void> {
    return this.handOver(this.liveNodes(), before, move)
  }

  protected clockNowMs(): number {
    return this.sim.nowMs
  }

  /**
   * After a publish: every live node streams what was written under the old map meanwhile (its layout
   * → the published map); one attempt is awaited, failures retry in the background (the ledger).
   */
  protected async catchUp(move: MoveRecord): Promise<void> {
    const count = (id: NodeId, from: Layout, to: Layout) => {
      const s = this.simNodes.get(id)
      if (!s?.node) return Promise.resolve({ rows: 0, bytes: 0 })
      const counting = countForNewOwners(s.node, { ring: to.ring, n: to.n, before: from })
      return Promise.race([counting, s.killed.promise])
    }
    const ids = this.liveNodes().map((s) => s.id)
    await this.drive(
      runCatchUpPass(move, this.transferBytesPerSec, this.ledger, this.published.layout, ids, count),
    )
  }

  protected publishConfig(): void {
    this.pushConfig()
    this.flushUpdates()
  }

  protected resendPublished(): void {
    // A joining node keeps the map it was booted with: it is the one being moved to.
    for (const s of this.simNodes.values())
      if (s.id !== this.joining) s.node?.reconfigure(this.published.config)
    this.publishPartitionMap()
    this.flushUpdates()
  }

  /** Every node that is up (not paused, not down). */
  private liveNodes(): Array<SimNode & { node: DbNode }> {
    return [...this.simNodes.values()].filter(
      (n): n is SimNode & { node: DbNode } => !!n.node && n.status === 'up',
    )
  }

  /**
   * Each node counts, then streams, the rows the membership's current ring gives to new owners
   * (handOff.ts); the cluster's rate is shared in proportion to what each counted.
   */
  private async handOver(
    from: ReadonlyArray<SimNode & { node: DbNode }>,
    before: MembershipSnapshot,
    move: MoveRecord,
  ): Promise<void> {
    const ring = this.m.ring
    const n = Math.min(this.m.config.replicationFactor, this.m.members.length)
    const plan = { ring, n, before: priorOf(before) }
    // A node killed mid-stream never fires its request timeouts: its kill fails the pass.
    const streamers = from.map(
      (s): PassStreamer => ({
        id: s.id,
        count: () => Promise.race([countForNewOwners(s.node, plan), s.killed.promise]),
        stream: (bytesPerSec, onProgress) =>
          Promise.race([
            streamToNewOwners(s.node, { ...plan, bytesPerSec, onSent: accumulate(onProgress) }),
            s.killed.promise,
          ]),
      }),
    )
    const stats = await this.drive(runHandOverPass(move, this.transferBytesPerSec, streamers))
    stats.forEach((x, i) => {
      if (x.rowsSent > 0)
        this.record({ t: this.sim.nowMs, type: 'hand-over', node: from[i].id, detail: handOverText(x) })
    })
  }

  setTopology(topology: Topology | null): void {
    this.assertOpen()
    this.m.setTopology(topology)
    this.pushConfig()
  }

  /** Sends the current configuration (members, ring, topology) to every live node. */
  private pushConfig(): void {
    this.published = { config: this.m.config, layout: this.currentLayout() }
    for (const s of this.simNodes.values()) s.node?.reconfigure(this.m.config)
    this.publishPartitionMap()
  }

  protected override onConfigChanged(): void {
    this.pushConfig()
  }

  protected override onHealed(): void {
    this.ledger.payAll(this.liveNodes().map((s) => s.id))
  }

  /** Opens every node; createCluster awaits this. */
  async start(): Promise<void> {
    await this.drive(
      Promise.all(
        this.m.members.map((id) => this.boot(this.simNodes.get(id)!, undefined, { initial: true })),
      ).then(() => {}),
    )
  }

  get nodes(): readonly NodeSummary[] {
    return this.m.members.map((id) => {
      const s = this.simNodes.get(id)!
      return { id, index: s.index, status: s.status }
    })
  }

  // ---- node lifecycle -------------------------------------------------------------------------

  private envFor(s: SimNode): NodeEnv<Message> {
    const incarnation = s.incarnation
    const alive = (): boolean => s.incarnation === incarnation && s.status !== 'down'
    let timerSeq = 0
    const cancelled = new Set<number>()
    // Its own stream (not a fork of the network's), so injecting no fault leaves every seed's run as it was.
    const faulty = new FaultyDisk(
      s.disk,
      {
        random: seededRandom((this.options.seed * 7919 + s.index * 131 + s.incarnation) >>> 0),
        sleep: (ms) => new Promise((r) => this.sim.schedule(ms, r)),
      },
      s.diskFaults,
    )
    s.faulty = faulty
    return {
      id: s.id,
      clock: { nowMs: () => this.sim.nowMs + s.skewMs },
      timers: {
        set: (delayMs, fn) => {
          const h = ++timerSeq
          this.sim.schedule(
            delayMs,
            () =>
              this.onNode(s, incarnation, () => {
                if (!cancelled.delete(h)) fn()
              }),
            () => ({ text: `timer on ${s.id}` }),
          )
          return h
        },
        clear: (h) => void cancelled.add(h),
      },
      random: this.netRandom.fork(),
      disk: faulty,
      transport: { send: (to, msg) => alive() && this.transmit(s.id, to, msg) },
      emit: (e) => this.record(e),
    }
  }

  /** Runs `fn` for a node's incarnation: dropped if it died since, held while it is paused. */
  private onNode(s: SimNode, incarnation: number, fn: () => void): void {
    if (s.incarnation !== incarnation || s.status === 'down') return
    if (s.status === 'paused') s.held.push(fn)
    else fn()
  }

  /** Opens the node with the published configuration (a joining node: the one being moved to). */
  private async boot(
    s: SimNode,
    config: NodeConfig = this.published.config,
    opts: OpenOptions = {},
  ): Promise<void> {
    s.incarnation++
    s.status = 'up'
    try {
      s.node = await DbNode.open(this.envFor(s), config, this.createEngine, opts)
    } catch (e) {
      // A node whose disk fails while it opens (an injected fault) stays down; restart retries.
      this.stopIncarnation(s)
      const why = e instanceof Error ? e.message : String(e)
      this.record({
        t: this.sim.nowMs,
        type: 'node-status',
        node: s.id,
        detail: `down: could not open (${why})`,
      })
      throw e
    }
    this.record({ t: this.sim.nowMs, type: 'node-status', node: s.id, detail: 'up' })
  }

  async kill(ref: number | string): Promise<void> {
    const s = this.simNode(ref)
    if (s.status === 'down') return
    const torn = await s.faulty?.crash()
    this.stopIncarnation(s)
    this.record({ t: this.sim.nowMs, type: 'node-status', node: s.id, detail: 'down' })
    if (torn) this.record({ t: this.sim.nowMs, type: 'disk-fault', node: s.id, detail: TORN_TAIL_DETAIL })
    this.flushUpdates()
  }

  /** Ends the node's incarnation: its timers, deliveries and pending client calls die with it. */
  private stopIncarnation(s: SimNode): void {
    s.node?.stop()
    s.node = null
    s.status = 'down'
    s.held = []
    s.incarnation++
    s.killed.reject(
      dbError(
        'NODE_DOWN',
        `${s.id} was killed before it answered; the operation may or may not have happened`,
      ),
    )
    s.killed = killSwitch()
  }

  async restart(ref: number | string): Promise<void> {
    const s = this.simNode(ref)
    if (s.status !== 'down') return
    await this.drive(this.boot(s))
    // Maps published while it was down moved ranges it may hold the only copy of: hand them over.
    void this.ledger.pay(s.id)
    this.flushUpdates()
  }

  /**
   * Deletes one node's disk and restarts it empty (as the worker runtime's rebuild): anti-entropy,
   * hints and pull sync refill it from its peers. Its injected disk faults stay (same device).
   */
  async rebuildNode(ref: number | string): Promise<void> {
    const s = this.simNode(ref)
    if (s.status !== 'down') await this.kill(s.id)
    await s.disk.destroy()
    s.disk = new MemoryDisk(`${this.options.dbPrefix}-${s.id}`)
    await this.drive(this.boot(s))
    this.record({ t: this.sim.nowMs, type: 'node-status', node: s.id, detail: 'rebuilt empty' })
    void this.ledger.pay(s.id)
    this.flushUpdates()
  }

  async pause(ref: number | string): Promise<void> {
    const s = this.simNode(ref)
    if (s.status === 'up') s.status = 'paused'
    this.record({ t: this.sim.nowMs, type: 'node-status', node: s.id, detail: s.status })
  }

  async resume(ref: number | string): Promise<void> {
    const s = this.simNode(ref)
    if (s.status !== 'paused') return
    s.status = 'up'
    const held = s.held
    s.held = []
    for (const fn of held) this.sim.schedule(0, fn)
    this.record({ t: this.sim.nowMs, type: 'node-status', node: s.id, detail: 'up' })
    void this.ledger.pay(s.id)
  }

  /**
   * The node joining now (addNode): it takes no client operation until its map is published. It
   * coordinates with the new map, so a write it acknowledged at N = 1 lived only on it, and a join
   * rolled back deleted it (the elastic sweep's seed 3).
   */
  private joining: NodeId | null = null

  /** The node a client operation goes through; NODE_DOWN while it is joining. */
  private clientNode(ref: number | string): DbNode {
    const node = this.liveNode(ref)
    if (node.id === this.joining)
      throw dbError(
        'NODE_DOWN',
        `${node.id} is still joining: send operations to another node until addNode resolves`,
      )
    return node
  }

  /** The live DbNode (tests reach into it); throws NODE_DOWN when it is down. */
  liveNode(ref: number | string): DbNode {
    const s = this.simNode(ref)
    if (!s.node || s.status === 'down') throw dbError('NODE_DOWN', `${s.id} is down`)
    if (s.status === 'paused') throw dbError('NODE_PAUSED', `${s.id} is paused`)
    return s.node
  }

  disk(ref: number | string): MemoryDisk {
    return this.simNode(ref).disk
  }

  private simNode(ref: number | string): SimNode {
    this.assertOpen()
    return this.simNodes.get(resolveNodeRef(ref, this.m.members))!
  }

  // ---- network --------------------------------------------------------------------------------

  private transmit(from: NodeId, to: NodeId, msg: Message): void {
    this.counters.sent++
    const trace = this.hooks.traceMessages !== false
    const work = msg.type !== 'ping' && msg.type !== 'pong'
    if (work) {
      const k = linkKey(from, to)
      this.traffic[k] = (this.traffic[k] ?? 0) + 1
    }
    if (trace && work) this.record({ t: this.sim.nowMs, type: 'send', node: from, peer: to, msg: msg.type })
    // Every work message is traced for the space-time diagram: when it left and the sender's clock.
    const traced =
      trace && work ? traceFields(msg, this.sim.nowMs, this.simNodes.get(from)?.node?.clock?.time) : null
    const fate = decideDelivery(this.netFaults, from, to, this.netRandom)
    if (fate.drop) {
      this.noteDrop(trace, from, to, msg, fate.reason, traced)
      return
    }
    for (const delay of fate.delaysMs) {
      if (work) this.workInFlight++
      this.sim.schedule(
        delay,
        () => {
          if (work) this.workInFlight--
          const router = this.routers.get(to)
          if (router) {
            this.counters.delivered++
            router.receive(msg)
            return
          }
          const target = this.simNodes.get(to)
          if (!target?.node || target.status === 'down') {
            this.noteDrop(trace, from, to, msg, 'node down', traced)
            return
          }
          this.onNode(target, target.incarnation, () => {
            this.counters.delivered++
            if (trace && work)
              this.record({
                t: this.sim.nowMs,
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
    trace: boolean,
    from: NodeId,
    to: NodeId,
    msg: Message,
    detail: string | undefined,
    traced: ReturnType<typeof traceFields> | null = null,
  ): void {
    this.counters.dropped++
    if (trace)
      this.record({ t: this.sim.nowMs, type: 'drop', node: from, peer: to, msg: msg.type, detail, ...traced })
  }

  setClockSkew(ref: number | string, skewMs: number): void {
    checkSkew(skewMs)
    this.simNode(ref).skewMs = skewMs
  }

  async setDiskFaults(ref: number | string, faults: Partial<DiskFaults>): Promise<DiskFaults> {
    this.assertOpen()
    const s = this.simNode(ref)
    s.diskFaults = mergeDiskFaults(s.diskFaults, faults)
    s.faulty?.setFaults(s.diskFaults)
    this.record({
      t: this.sim.nowMs,
      type: 'disk-fault',
      node: s.id,
      detail: describeDiskFaults(s.diskFaults),
    })
    return { ...s.diskFaults }
  }

  // ---- client operations ----------------------------------------------------------------------

  protected async write(
    ref: number | string,
    key: string,
    value: string | null,
    opts: WriteOptions,
  ): Promise<WriteResult> {
    const node = this.clientNode(ref)
    const t0 = this.sim.nowMs
    const out = await this.drive(
      this.whileAlive(ref, clientWrite(node, key, value, opts.level, writeIntentOf(opts))),
    )
    return {
      ok: true,
      key,
      version: out.version,
      acks: out.acks,
      ...(out.opId ? { opId: out.opId } : {}),
      latencyMs: this.sim.nowMs - t0,
    }
  }

  protected async readAt(ref: number | string, key: string, opts: OpOptions = {}): Promise<ReadResult> {
    const node = this.clientNode(ref)
    const t0 = this.sim.nowMs
    const out = await this.drive(this.whileAlive(ref, clientRead(node, key, opts.level)))
    return { ...toReadResult(out), latencyMs: this.sim.nowMs - t0 }
  }

  /** Starts a routing process on the simulated network (simRouter.ts). */
  async startRouter(): Promise<Router> {
    this.assertOpen()
    const id = `router_${this.routers.size}` as NodeId
    const core = simRouterCore(id, this.sim, (to, m) => this.transmit(id, to, m), this.getPartitionMap())
    this.routers.set(id, core)
    return simRouterClient(
      core,
      this.sim,
      (p) => this.drive(p),
      this.onPartitionMap(core.setMap.bind(core)),
      () => this.routers.delete(id),
    )
  }

  /** The routing process behind a router id (tests count what it routed). */
  routerCore(id: string): RouterCore | undefined {
    return this.routers.get(id as NodeId)
  }

  /** `p`, or NODE_DOWN if the node serving it is killed first (as in the worker runtime). */
  private whileAlive<T>(ref: number | string, p: Promise<T>): Promise<T> {
    return Promise.race([p, this.simNode(ref).killed.promise])
  }

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
    if (this.workInFlight > 0 || this.draining.size > 0) return false
    for (const s of this.simNodes.values()) {
      if (!s.node || s.status !== 'up') continue
      const n = s.node
      if (!n.groups.idle || n.requests.inFlight > 0 || this.ledger.busy(s.id)) return false
      for (const peer of n.replog.peersWithBacklog()) if (this.reachable(s.id, peer)) return false
      for (const peer of n.hints.targets()) if (this.reachable(s.id, peer)) return false
    }
    return true
  }

  private reachable(from: NodeId, to: NodeId): boolean {
    const t = this.simNodes.get(to)
    if (t?.status !== 'up') return false
    return linkUsable(this.netFaults, from, to) && linkUsable(this.netFaults, to, from)
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

  inspect(): Promise<ClusterInspection>
  inspect(ref: number | string): Promise<NodeInspection>
  async inspect(ref?: number | string): Promise<NodeInspection | ClusterInspection> {
    if (ref === undefined) return this.inspectCluster()
    const s = this.simNode(ref)
    if (!s.node) return { id: s.id, status: s.status, snapshot: null }
    return { id: s.id, status: s.status, snapshot: this.snapshot(s), ...inspectNode(s.node) }
  }

  private snapshot(s: SimNode): NodeSnapshot | null {
    if (!s.node) return null
    return { id: s.id, status: s.status, clockSkewMs: s.skewMs, ...nodeSnapshot(s.node) }
  }

  // ---- workload -------------------------------------------------------------------------------

  /** The workload generator on virtual time (simWorkload.ts): part of the deterministic run. */
  private readonly workloads = new SimWorkloads({
    sim: this.sim,
    liveNodes: () => this.liveNodes().map((s) => s.node),
    write: (node, key, value, level) => this.whileAlive(node.id, clientWrite(node, key, value, level)),
    read: (node, key, level) => this.whileAlive(node.id, clientRead(node, key, level)),
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

  // ---- observation ----------------------------------------------------------------------------

  /** Listeners to every event, unbuffered (the scenario engine's trace hash). */
  private readonly taps = new Set<(e: ClusterEvent) => void>()

  /** Calls `fn` with every event from now on; returns the unsubscribe. */
  tapEvents(fn: (e: ClusterEvent) => void): () => void {
    this.taps.add(fn)
    return () => this.taps.delete(fn)
  }

  private record(e: ClusterEvent): void {
    this.events.push(e)
    this.hooks.onEvent?.(e)
    for (const tap of this.taps) tap(e)
    if (this.listeners.size > 0 && this.pendingEvents.length < 5000) this.pendingEvents.push(e)
  }

  subscribe(listener: (u: ClusterUpdate) => void): () => void {
    this.assertOpen()
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Sends one batch (node snapshots + events since the last batch) to subscribers. */
  flushUpdates(): void {
    if (this.listeners.size === 0) return
    const nodes: NodeSnapshot[] = []
    for (const s of this.simNodes.values()) {
      const snap = this.snapshot(s)
      nodes.push(snap ?? emptySnapshot(s.id, s.status, s.skewMs))
    }
    const update: ClusterUpdate = { nodes, events: this.pendingEvents }
    this.pendingEvents = []
    for (const l of this.listeners) l(update)
  }

  async scan(ref: number | string, opts: { start?: string; limit?: number } = {}): Promise<ScanPage> {
    return this.drive(scanNode(this.liveNode(ref), opts))
  }

  protected async nodeQuery<Q extends NodeQuery>(ref: number | string, q: Q): Promise<NodeQueryAnswer<Q>> {
    return this.drive(this.whileAlive(ref, runNodeQuery(this.liveNode(ref), q)))
  }

  async antiEntropy(ref: number | string, opts: AntiEntropyOptions = {}): Promise<ExchangeStats[]> {
    return this.drive(runAntiEntropy(this.liveNode(ref), this.antiEntropyFilter(opts)))
  }

  async flush(ref: number | string): Promise<StorageActionResult> {
    return this.drive(runStorageAction(this.liveNode(ref), 'flush'))
  }

  async compact(ref: number | string): Promise<StorageActionResult> {
    return this.drive(runStorageAction(this.liveNode(ref), 'compact'))
  }

  /** Virtual time control. Client operations always advance time; the page also runs a real-time clock. */
  readonly time: TimeControl = makeSimTime(this)

  async shutdown(opts: { deleteData?: boolean } = {}): Promise<void> {
    if (opts.deleteData) for (const s of this.simNodes.values()) await s.disk.destroy()
    this.time.pause()
    this.workloads.stop()
    for (const s of this.simNodes.values()) s.node?.stop()
    for (const r of this.routers.values()) r.stop()
    this.shutDown = true
    this.listeners.clear()
  }
}
