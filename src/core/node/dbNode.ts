/**
 * One database node as a message-driven state machine. Everything it touches is injected through
 * NodeEnv (clock, timers, randomness, disk, transport, event sink), so the same code runs in a Web
 * Worker and in the deterministic simulator. Client operations live in coordinator.ts; this file holds
 * recovery, message dispatch, applying ops exactly once, the replication log and heartbeats.
 */
import type { AntiEntropy } from '../antiEntropy/antiEntropy'
import { installAntiEntropy } from '../antiEntropy/install'
import { type ConflictMode, conflictModeFor } from '../conflict'
import type { PreparedWrite } from '../conflict/types'
import type { NodeEnv, TimerHandle } from '../env'
import { toErrorData } from '../errors'
import type { ClusterEvent } from '../events'
import type { NodeId, OpId } from '../ids'
import {
  assertNever,
  type Message,
  type MessageBody,
  PROTOCOL_VERSION,
  type RowVersion,
} from '../protocol/messages'
import { NodeQueries } from '../query/nodeQueries'
import { serveRange } from '../query/rangeRead'
import { DotCloud } from '../replication/dotCloud'
import { FailureDetector } from '../replication/failureDetector'
import type { LamportClock } from '../replication/lamportClock'
import { ReplicationLog } from '../replication/replicationLog'
import type { Op } from '../replication/version'
import { type HashRing, preferenceList } from '../ring/hashRing'
import { ringFromJson } from '../ring/ringJson'
import type { KeyedRecord, StorageEngine, StoredRecord } from '../storage/engine'
import { applyNew } from './applyOps'
import { serveForwardedWrite } from './coordinator'
import { CorruptionRepair } from './corruptionRepair'
import { Heartbeats } from './heartbeats'
import { HintedHandoff } from './hintedHandoff'
import { HintStore } from './hints'
import { KeyStats } from './keyStats'
import type { NodeConfig } from './nodeConfig'
import { recoverNode } from './nodeRecovery'
import { originateOp } from './originate'
import { ReadOutbox, ReplicateOutbox } from './outbox'
import { serveForwardedRead } from './ownerRouting'
import { RelayAcks } from './relayAcks'
import { ReplicationStream } from './replicationStream'
import { Requests } from './requests'
import { RouteCache } from './routes'
import { checkStoredRow, opRecord, recordRow, rowRecord } from './rows'
import { RowVersions } from './rowVersions'
import { NodeTransactions } from './txHost'
import type { WriteGroups } from './writeGroups'

export type EngineFactory = (env: NodeEnv<Message>, config: NodeConfig) => StorageEngine

export type ApplyOutcome = 'applied' | 'discarded' | 'duplicate'

/** How a host opens a node. */
export interface OpenOptions {
  /**
   * The cluster's first boot of this node: an empty disk then keeps epoch 0 (the plain node id as
   * actor). Any other open on an empty disk (rebuilt, replaced, a memory disk restarted, a joining
   * node) takes a fresh epoch in a merging mode, so it never re-signs a dot peers hold.
   */
  initial?: boolean
}

const NO_TARGETS: readonly NodeId[] = Object.freeze([])

export class DbNode {
  readonly id: NodeId
  config: NodeConfig
  ring: HashRing
  clock!: LamportClock
  ownSeq = 0
  /** This incarnation's epoch (0 until the node ever opened on an empty disk; nodeMeta.ts freshEpoch). */
  epoch = 0
  /** Who signs this node's merging writes (dots, CRDT entries): its id, plus its epoch when not 0. */
  actor: string
  /** Own seqs skipped on open (never allocated): peers mark them seen (replicate `gap`). */
  seqGap: { from: number; to: number } | null = null
  dots = new DotCloud()
  replog = new ReplicationLog()
  hints = new HintStore()
  fd: FailureDetector
  readonly requests: Requests
  /** Writes waiting for replicas they reach only through relays (relayAcks.ts). */
  readonly relayAcks: RelayAcks
  groups!: WriteGroups
  stats = {
    applied: 0,
    discarded: 0,
    duplicates: 0,
    readRepairs: 0,
    hintsDelivered: 0,
    pruned: 0,
    writeRetries: 0,
    /** Group commits (storage transactions) made durable. */
    commits: 0,
    /** Storage blocks found corrupt (quarantined; their rows recovered from peers). */
    corruptBlocks: 0,
    /** Vector mode: siblings merged away because a key had more than siblingsMax. */
    siblingsMerged: 0,
  }
  /** Compares, merges and hashes versions (LWW, vector siblings, CRDTs): conflict/. */
  readonly conflict: ConflictMode
  /** Sibling and CRDT key counts for the node card (keyStats.ts). */
  readonly keyStats: KeyStats
  /** Stored and in-flight rows per key, for the conflict check (rowVersions.ts). */
  readonly versions: RowVersions
  /** Ops joined to a group commit that is not durable yet (exactly-once while in flight). */
  readonly inflightOps = new Map<OpId, Promise<unknown>>()
  private timers: TimerHandle[] = []
  private stopped = false
  /** Pushing log entries, pull sync, pruning (replicationStream.ts). */
  readonly stream = new ReplicationStream(this)
  /** Storing and replaying hints as a stand-in (hintedHandoff.ts). */
  readonly handoff = new HintedHandoff(this)
  /** The coordinator's per-peer batching of replicate requests and of reads. */
  readonly outbox = new ReplicateOutbox(this)
  readonly reads = new ReadOutbox(this)
  /** Where operations on a key go, cached per ring arc (routes.ts). */
  readonly routes = new RouteCache(this)
  /** Pings and peer-state changes (heartbeats.ts). */
  readonly heartbeats = new Heartbeats(this)
  /** Recovering rows of corrupt storage blocks from peers (corruptionRepair.ts). */
  readonly corruption = new CorruptionRepair(this)
  /** Extension point for later layers (Merkle anti-entropy): called after rows become durable. */
  onRowsDurable: Array<(records: readonly KeyedRecord[]) => void> = []
  /** Merkle trees and exchanges (installed by open; see antiEntropy/). */
  antiEntropy: AntiEntropy | null = null
  /** Secondary indexes and the read cache (installed by open; see query/nodeQueries.ts). */
  queries: NodeQueries | null = null
  private txs: NodeTransactions | null = null
  /** Transactions begun here and the locks held here as lock owner (created on first use). */
  get tx(): NodeTransactions {
    this.txs ??= new NodeTransactions(this)
    return this.txs
  }

  private constructor(
    readonly env: NodeEnv<Message>,
    config: NodeConfig,
    readonly engine: StorageEngine,
  ) {
    this.id = env.id
    this.actor = env.id
    this.config = config
    this.ring = ringFromJson(config.ring)
    this.requests = new Requests(env.timers)
    this.relayAcks = new RelayAcks(env.timers)
    this.conflict = conflictModeFor(config, (key, trimmed) => this.noteSiblingsMerged(key, trimmed))
    this.versions = new RowVersions(engine, this.conflict)
    this.keyStats = new KeyStats(this.conflict)
    this.fd = new FailureDetector(this.peers(), env.clock.nowMs(), config.heartbeatTimeoutMs)
  }

  /** Opens (or recovers) a node from its disk and starts its background tasks. */
  static async open(
    env: NodeEnv<Message>,
    config: NodeConfig,
    createEngine: EngineFactory,
    opts: OpenOptions = {},
  ): Promise<DbNode> {
    const node = new DbNode(env, config, createEngine(env, config))
    await node.recover(opts)
    node.queries = await NodeQueries.install(node)
    node.antiEntropy = await installAntiEntropy(node)
    await node.tx.recover() // COMMITTED transaction records held here resume their roll-forward
    node.start()
    void node.handoff.retargetHints().catch(() => {}) // maps published while it was down
    return node
  }

  private recover(opts: OpenOptions): Promise<void> {
    return recoverNode(this, opts.initial)
  }

  private start(): void {
    this.stream.forgetDeparted()
    this.every(this.config.heartbeatIntervalMs, () => this.heartbeats.tick())
    this.every(this.config.resendIntervalMs, () => this.stream.resendDue())
    this.every(this.config.syncIntervalMs, () => this.stream.pullSync())
    this.every(Math.max(50, this.config.heartbeatIntervalMs), () => this.handoff.replayHints())
    // On (re)start: ask peers for what we missed and push what they miss.
    this.stream.pullSync()
    this.stream.kick()
  }

  /** Stops timers and fails pending requests (used on kill and shutdown). */
  stop(): void {
    this.stopped = true
    for (const t of this.timers) this.env.timers.clear(t)
    this.timers = []
    this.requests.failAll(`${this.id} stopped`)
  }

  private every(intervalMs: number, fn: () => void): void {
    const slot = this.timers.length
    const arm = (): void => {
      this.timers[slot] = this.env.timers.set(intervalMs, () => {
        if (this.stopped) return
        fn()
        arm()
      })
    }
    arm()
  }

  // ---- membership and topology ----------------------------------------------------------------

  peers(): NodeId[] {
    return this.config.members.filter((m) => m !== this.id)
  }

  /** Nodes this node sends replication traffic to. */
  outNeighbors(of: NodeId = this.id): readonly NodeId[] {
    const cached = this.neighbors.get(of)
    if (cached) return cached
    const t = this.config.topology
    const out = Object.freeze(
      t
        ? (t[of] ?? []).filter((m) => m !== of && this.config.members.includes(m))
        : this.config.members.filter((m) => m !== of),
    )
    this.neighbors.set(of, out)
    return out
  }

  /** outNeighbors per node for the current config (every write asks; reconfigure clears it). */
  private neighbors = new Map<NodeId, readonly NodeId[]>()

  /** Natural owners of a key (the first N distinct nodes on the ring). */
  owners(key: string): NodeId[] {
    return preferenceList(this.ring, key, this.ownerCount())
  }

  /** N: how many nodes own each key (the replication factor, capped by the membership). */
  ownerCount(): number {
    return Math.min(this.config.replicationFactor, this.config.members.length)
  }

  /** Peers that must get this op from us (relays follow the topology; each op applied once). */
  logTargets(op: Op, from: NodeId | null): readonly NodeId[] {
    if (op.origin === this.id) return this.routes.route(op.key, this.ownerCount()).logTargets
    if (!this.config.topology) return NO_TARGETS
    const mine = this.outNeighbors()
    const owners = this.owners(op.key)
    const originOut = new Set(this.outNeighbors(op.origin))
    return mine.filter((t) => t !== op.origin && t !== from && !originOut.has(t) && owners.includes(t))
  }

  // ---- messaging ------------------------------------------------------------------------------

  send(to: NodeId, body: MessageBody): void {
    if (this.stopped) return
    // Stamp the body in place (callers build a fresh one per send): no copy on the hottest path.
    const m = body as Message
    m.v = PROTOCOL_VERSION
    m.from = this.id
    this.heartbeats.noteSent(to)
    this.env.transport.send(to, m)
  }

  emit(e: Omit<ClusterEvent, 't' | 'node'>): void {
    this.env.emit({ t: this.env.clock.nowMs(), node: this.id, ...e })
  }

  /** Counts (and reports) an applied or discarded op once its commit is durable. */
  noteApplied(op: Op, newer: boolean, from: NodeId | null, detail: string | undefined): void {
    if (newer) this.stats.applied++
    else this.stats.discarded++
    if (this.wantsEvent(newer ? 'apply' : 'discard'))
      this.emit({
        type: newer ? 'apply' : 'discard',
        opId: op.id,
        key: op.key,
        peer: from ?? undefined,
        detail,
      })
  }

  /** Siblings past siblingsMax were merged away on `key` (vector mode): counted and reported. */
  private noteSiblingsMerged(key: string, trimmed: number): void {
    this.stats.siblingsMerged += trimmed
    this.emit({
      type: 'siblings-merged',
      key,
      detail: `${trimmed} oldest sibling(s) merged away past siblingsMax`,
    })
  }

  /** False when the host would drop an event of this type (see NodeEnv.accepts): build none then. */
  wantsEvent(type: ClusterEvent['type']): boolean {
    return this.env.accepts?.(type) !== false
  }

  /** Entry point for every message the host delivers. */
  receive(m: Message): void {
    if (this.stopped || m.v !== PROTOCOL_VERSION) return
    const change = this.fd.heard(m.from, this.env.clock.nowMs())
    if (change) this.heartbeats.onPeerChange(m.from, change.from, change.to)
    switch (m.type) {
      case 'ping':
        // Hearing the ping was the point (fd.heard above). No pong: the peer hears from us through
        // our own traffic or our own ping, so liveness needs one message per direction per interval.
        return
      case 'pong':
        return
      case 'replicate':
        void this.stream.onReplicate(m)
        return
      case 'replicate-ack':
        this.stream.onReplicateAck(m.from, m.ids)
        if (m.reqId !== undefined) this.requests.resolve(m.reqId, m)
        return
      case 'forward-write':
        serveForwardedWrite(this, m)
        return
      case 'forward-read':
        serveForwardedRead(this, m)
        return
      case 'relay-ack':
        this.relayAcks.onRelayAck(m.from, m.ids, m.newer)
        return
      case 'fetch-updates':
        this.stream.onFetchUpdates(m.from, m.seen)
        return
      case 'read-req':
        void Promise.all(m.keys.map((k) => this.localRow(k))).then(
          (rows) => this.send(m.from, { type: 'read-resp', reqId: m.reqId, rows }),
          (e) => this.send(m.from, { type: 'read-resp', reqId: m.reqId, rows: [], error: toErrorData(e) }),
        )
        return
      case 'repair':
        // A row that failed to commit (a failing or full disk) is not acknowledged: the sender's
        // request times out and it resends (hand-over batches retry; read repair is best effort).
        void Promise.all(m.rows.map((r) => this.applyRow(r))).then(
          (res) => {
            if (m.reqId !== undefined)
              this.send(m.from, { type: 'repair-ack', reqId: m.reqId, applied: res.filter(Boolean).length })
          },
          () => {},
        )
        return
      case 'read-resp':
      case 'forward-resp':
      case 'forward-read-resp':
      case 'repair-ack':
      case 'merkle-resp':
      case 'merkle-rows-resp':
        this.requests.resolve(m.reqId ?? -1, m)
        return
      case 'merkle-req':
      case 'merkle-rows-req':
        for (const h of this.onMerkle) h(m)
        return
      case 'ring-update':
        this.setRing(m.ring)
        return
      case 'range-req':
        serveRange(this, m)
        return
      case 'range-resp':
      case 'tx-resp':
        this.requests.resolve(m.reqId, m)
        return
      case 'tx':
        this.tx.onMessage(m)
        return
      default:
        assertNever(m)
    }
  }

  /** Handlers for Merkle requests (installed by the anti-entropy module). */
  onMerkle: Array<(m: Message) => void> = []

  setRing(raw: unknown): void {
    const ring = ringFromJson(raw)
    if (ring.version > this.ring.version) this.ring = ring
  }

  /** Applies a membership/topology change pushed by the cluster (the seed's UpdateHashRing). */
  reconfigure(config: NodeConfig): void {
    this.config = config
    this.neighbors.clear()
    this.setRing(config.ring)
    this.fd.setPeers(this.peers(), this.env.clock.nowMs())
    this.stream.forgetDeparted()
    void this.handoff.retargetHints().catch(() => {})
  }

  // ---- applying ops exactly once --------------------------------------------------------------

  /** Applies an op (local or received) exactly once; the LWW rule decides if its row is written. */
  applyOp(op: Op, from: NodeId | null): Promise<ApplyOutcome> {
    if (this.dots.has(op.origin, op.seq)) {
      this.stats.duplicates++
      this.emit({ type: 'discard', opId: op.id, key: op.key, peer: from ?? undefined, detail: 'duplicate' })
      return Promise.resolve('duplicate')
    }
    const inflight = this.inflightOps.get(op.id)
    if (inflight) return inflight.then(() => 'duplicate' as const)
    const p = applyNew(this, op, from).finally(() => this.inflightOps.delete(op.id))
    this.inflightOps.set(op.id, p)
    return p
  }

  /** Merges a row (read repair, Merkle streaming) by the conflict mode; true when it changed ours. */
  async applyRow(row: RowVersion): Promise<boolean> {
    this.clock.receive(row.version.ts)
    const current = (await this.versions.current(row.key))()
    const record = this.conflict.resolve(row.key, current, rowRecord(row))
    if (!record) return false
    this.versions.writing(row.key, record)
    await this.groups.add({ records: [{ key: row.key, record }] })
    return true
  }

  /** This node's row for a key, including hinted writes it holds as a stand-in. */
  async localRow(key: string): Promise<RowVersion | null> {
    this.corruption.check(key)
    const stored = await (this.queries ? this.queries.stored(key) : this.engine.get(key))
    if (stored) checkStoredRow(key, stored)
    let best: StoredRecord | undefined = stored
    for (const op of this.hints.forKey(key)) best = this.conflict.resolve(key, best, opRecord(op)) ?? best
    return best ? recordRow(key, best) : null
  }

  // ---- local writes ---------------------------------------------------------------------------

  /**
   * Originates a write here and makes it durable before anyone else hears of it: the op's seq is
   * allocated in the same tick it joins a group commit, so a crash can only lose seqs nobody saw (and
   * recovery resumes past them and past a clock floor: see nodeMeta.ts `resumeSeq`). `store` = this node is a
   * replica; `hintedFor` = it is a stand-in for that owner.
   */
  originate(
    key: string,
    value: string | null,
    store: boolean,
    hintedFor?: NodeId,
    write?: PreparedWrite | null,
  ): Promise<Op> {
    return originateOp(this, key, value, store, hintedFor, write)
  }

  get isStopped(): boolean {
    return this.stopped
  }

  /** True when nothing is waiting to be written or delivered by this node. */
  quiet(): boolean {
    return (
      this.groups.idle &&
      this.replog.size === 0 &&
      this.hints.count === 0 &&
      this.requests.inFlight === 0 &&
      this.corruption.pending === 0
    )
  }
}
