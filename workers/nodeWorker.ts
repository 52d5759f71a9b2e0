/**
 * The worker host: one database node per Web Worker. It gives the core node real timers, a real
 * (possibly skewed) clock, IndexedDB storage, and direct MessageChannel ports to its peers; network
 * faults are applied here on the sending side with the same rules as the simulator.
 */
import { expose } from 'comlink'
import { toReadResult } from '../src/cluster/results'
import { workerTap } from '../src/cluster/tapResults'
import { runAntiEntropy } from '../src/core/antiEntropy/install'
import type { Disk } from '../src/core/disk/disk'
import { FaultyDisk, NO_DISK_FAULTS } from '../src/core/disk/faultyDisk'
import type { NodeEnv } from '../src/core/env'
import { toErrorData } from '../src/core/errors'
import type { ClusterEvent } from '../src/core/events'
import { decideDelivery, emptyFaults, type FaultState } from '../src/core/faults/linkRules'
import { type NodeId, parseNodeId } from '../src/core/ids'
import { DbNode } from '../src/core/node/dbNode'
import { countForNewOwners, type HandOffCount, streamToNewOwners } from '../src/core/node/handOff'
import { inspectNode, nodeSnapshot, scanNode } from '../src/core/node/inspect'
import type { NodeConfig } from '../src/core/node/nodeConfig'
import { clientRead, clientWrite, ownedKeyFilter, ownerRead, ownerWrite } from '../src/core/node/ownerRouting'
import { runStorageAction } from '../src/core/node/storageControl'
import type { Message } from '../src/core/protocol/messages'
import { traceFields } from '../src/core/protocol/messageTrace'
import { runNodeQuery } from '../src/core/query/nodeQuery'
import { seededRandom } from '../src/core/random'
import { ringFromJson } from '../src/core/ring/ringJson'
import { type WorkloadClient, WorkloadGenerator } from '../src/core/workload/generator'
import type { HistoryTap } from '../src/core/workload/historyTap'
import { createNodeEngine, openNodeDisk } from '../src/runtime/nodeStorage'
import { type ClientAnswer, type ClientRequest, coalescer, readBatch } from './clientPort'
import { type EventBudget, eventBudget, updateIntervalMs } from './eventBudget'
import type { NodeWorkerApi, OpenParams, Outcome, QuietState, WorkerUpdate } from './nodeWorkerApi'

const UPDATE_INTERVAL_MS = 100
const KEEPALIVE_MS = 1000

let node: DbNode | null = null
let disk: Disk | null = null
/** The node's disk with the user's injected storage faults (none by default). */
let faultyDisk: FaultyDisk | null = null
let faults: FaultState = emptyFaults()
let skewMs = 0
let paused = false
let updates: MessagePort | null = null
const ports = new Map<NodeId, MessagePort>()
const held: Array<() => void> = []
let delayedSends = 0
/** This node's share of the dashboard's workload, when one runs (see core/workload/generator.ts). */
let workload: WorkloadGenerator | null = null
/** The workload's ops for the live checker (one tap per worker life: a replaced generator's ops still land). */
let tap: HistoryTap | null = null
/** The page's bound on the generator's admitted fraction (its frame guard), kept for the next one. */
let workloadCeiling = 1
let pendingEvents: ClusterEvent[] = []
let sentByPeer: Record<string, number> = {}
/** Rows and bytes acknowledged so far per running hand-over (the page polls them for move progress). */
const handOffProgress = new Map<string, HandOffCount>()
const random = seededRandom(1)

function run(fn: () => void): void {
  if (paused) held.push(fn)
  else fn()
}

/** Read once: the performance.timeOrigin getter showed up at ~3% of a busy worker's self time. */
const TIME_ORIGIN = performance.timeOrigin

function nowMs(): number {
  return TIME_ORIGIN + performance.now() + skewMs
}

/** The unskewed clock: traced message events use it, so arrows between lanes line up. */
function realMs(): number {
  return TIME_ORIGIN + performance.now()
}

function send(from: NodeId, to: NodeId, msg0: Message): void {
  const port = ports.get(to)
  const work = msg0.type !== 'ping' && msg0.type !== 'pong'
  let msg = msg0
  if (work) {
    sentByPeer[to] = (sentByPeer[to] ?? 0) + 1
    if (messageEvents < budget().messages) {
      record({ t: nowMs(), type: 'send', node: from, peer: to, msg: msg.type })
      // The sampled sends are traced for the space-time diagram: the receiver reports the delivery.
      // A copy, because the same message object may go to several peers.
      msg = { ...msg0, trace: { sentMs: realMs(), lamport: node?.clock?.time ?? 0 } }
    } else eventsDropped++
  }
  // A received message passed on as is must not keep its first hop's trace.
  if (msg === msg0 && msg0.trace) msg = { ...msg0, trace: undefined }
  const fate = decideDelivery(faults, from, to, random)
  if (fate.drop || !port) {
    const traced = msg.trace ? traceFields(msg, msg.trace.sentMs, msg.trace.lamport) : null
    record({
      t: traced ? realMs() : nowMs(),
      type: 'drop',
      node: from,
      peer: to,
      msg: msg.type,
      detail: fate.drop ? fate.reason : 'no link',
      ...traced,
    })
    return
  }
  const wire = onWire(msg)
  for (const delay of fate.delaysMs) {
    if (delay <= 0) port.postMessage(wire)
    else {
      delayedSends++
      setTimeout(() => {
        delayedSends--
        port.postMessage(wire)
      }, delay)
    }
  }
}

/**
 * Bulk messages (batches of ops and their acks, reads) cross as one JSON string: cloning a string is
 * a copy, and JSON.stringify/parse of plain objects costs far less than structured clone's per-object
 * work (measured: see ARCHITECTURE.md). The rest (Merkle hashes are typed arrays) is cloned as is.
 */
const AS_JSON: ReadonlySet<Message['type']> = new Set([
  'replicate',
  'replicate-ack',
  'read-req',
  'read-resp',
  'range-resp',
])
const onWire = (msg: Message): Message | string => (AS_JSON.has(msg.type) ? JSON.stringify(msg) : msg)
const offWire = (data: Message | string): Message => (typeof data === 'string' ? JSON.parse(data) : data)

/**
 * Events for the page, sampled within a per-cluster budget (eventBudget.ts): per update at most a few
 * message events (send, deliver, drop — traffic itself is counted exactly in sentByPeer) and per-op
 * events (apply, discard), so a busy cluster cannot flood the main thread and rarer events keep room.
 */
let messageEvents = 0
let eventsDropped = 0
const isMessageEvent = (type: ClusterEvent['type']): boolean =>
  type === 'send' || type === 'deliver' || type === 'drop'

let budgetFor = -1
let currentBudget: EventBudget = eventBudget(1, 1000 / updateIntervalMs(1))
/** The event budget for the current cluster size. */
function budget(): EventBudget {
  const n = node?.config.members.length ?? 1
  if (n !== budgetFor) {
    budgetFor = n
    currentBudget = eventBudget(n, 1000 / updateIntervalMs(n))
  }
  return currentBudget
}

/** False (and the event counted as dropped) when this update has no room left for one of `type`. */
function accepts(type: ClusterEvent['type']): boolean {
  const b = budget()
  if (
    pendingEvents.length >= b.total ||
    (isMessageEvent(type) && messageEvents >= b.messages) ||
    ((type === 'apply' || type === 'discard') && pendingEvents.length >= b.perOp)
  ) {
    eventsDropped++
    return false
  }
  return true
}

function record(e: ClusterEvent): void {
  if (!accepts(e.type)) return
  if (isMessageEvent(e.type)) messageEvents++
  pendingEvents.push(e)
}

let lastPosted = ''
let lastPostedAtMs = 0

/**
 * Posts the node's snapshot and sampled events to the page. Every page update costs the main thread a
 * structured-clone decode (with 16+ nodes that is most of its time), so an update is skipped when
 * nothing changed, except for a keep-alive once a second.
 */
function postUpdate(): void {
  if (!node || !updates) return
  // Checked every UPDATE_INTERVAL_MS; bigger clusters post less often (updateIntervalMs).
  const dueAtMs = lastPostedAtMs + updateIntervalMs(node.config.members.length) - UPDATE_INTERVAL_MS / 2
  if (performance.now() < dueAtMs) return
  const snapshot = {
    id: node.id,
    status: paused ? ('paused' as const) : ('up' as const),
    clockSkewMs: skewMs,
    ...nodeSnapshot(node),
  }
  const signature = JSON.stringify(snapshot)
  const now = performance.now()
  const tally = workload?.take()
  const history = tap?.take() ?? undefined
  const quiet =
    pendingEvents.length === 0 &&
    eventsDropped === 0 &&
    Object.keys(sentByPeer).length === 0 &&
    !(tally && (tally.done > 0 || tally.errors > 0)) &&
    !history
  if (quiet && signature === lastPosted && now - lastPostedAtMs < KEEPALIVE_MS) return
  lastPosted = signature
  lastPostedAtMs = now
  const update: WorkerUpdate = { snapshot, events: pendingEvents, sentByPeer, eventsDropped, workload: tally }
  if (history) update.history = history
  if (workload && !workload.running && workload.operationsInFlight === 0) workload = null
  pendingEvents = []
  sentByPeer = {}
  messageEvents = 0
  eventsDropped = 0
  updates.postMessage(update)
}

function envFor(id: NodeId, seed: number): NodeEnv<Message> {
  return {
    id,
    clock: { nowMs },
    timers: {
      set: (delayMs, fn) => setTimeout(() => run(fn), delayMs) as unknown as number,
      clear: (h) => clearTimeout(h),
    },
    random: seededRandom(seed),
    disk: disk!,
    transport: { send: (to, msg) => send(id, to, msg) },
    emit: record,
    accepts,
  }
}

async function outcome<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() }
  } catch (e) {
    return { ok: false, error: toErrorData(e) }
  }
}

function liveNode(): DbNode {
  if (!node) throw Object.assign(new Error('node is not open'), { code: 'NODE_DOWN' })
  return node
}

/** Answers client requests from the page's client port, coalescing answers per tick. */
function serveClients(port: MessagePort): void {
  const answer = coalescer<ClientAnswer>((wire) => port.postMessage(wire))
  port.onmessage = (ev: MessageEvent<string>) => {
    for (const r of readBatch<ClientRequest>(ev.data).items) {
      run(() => {
        if (r.op === 'put')
          void api
            .put(r.key, r.value, r.level, r.intent)
            .then((outcome) => answer({ id: r.id, op: 'put', outcome }))
        else void api.read(r.key, r.level).then((outcome) => answer({ id: r.id, op: 'read', outcome }))
      })
    }
  }
}

/** Takes messages from a peer's (or a router's) port; sends to `id` go out on it. */
function listen(id: NodeId, port: MessagePort): void {
  ports.get(id)?.close()
  ports.set(id, port)
  port.onmessage = (ev: MessageEvent<Message | string>) =>
    run(() => {
      const m = offWire(ev.data)
      if (node && m.trace) {
        // A traced message (sampled by its sender): its delivery is recorded within the total budget only.
        const e: ClusterEvent = { t: realMs(), type: 'deliver', node: node.id, peer: m.from, msg: m.type }
        if (pendingEvents.length < budget().total)
          pendingEvents.push({ ...e, ...traceFields(m, m.trace.sentMs, m.trace.lamport) })
        else eventsDropped++
      } else if (node && m.type !== 'ping' && m.type !== 'pong' && messageEvents < budget().messages)
        record({ t: nowMs(), type: 'deliver', node: node.id, peer: m.from, msg: m.type })
      node?.receive(m)
    })
}

const api: NodeWorkerApi = {
  async open(p: OpenParams) {
    return outcome(async () => {
      const id = parseNodeId(p.id)
      faults = p.faults
      skewMs = p.skewMs
      updates = p.updates
      faultyDisk = new FaultyDisk(
        await openNodeDisk(p.dbName, p.persist, p.fresh),
        { random: seededRandom(p.seed + 7919), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
        p.diskFaults ?? NO_DISK_FAULTS,
      )
      disk = faultyDisk
      const opened = await DbNode.open(
        envFor(id, p.seed),
        p.config,
        (env, config) => createNodeEngine(env, config),
        { initial: p.initial },
      )
      // A rebuilt node starts its op sequence above what its peers saw of its old one (no op id
      // reused); nothing has coordinated yet, since clients are served only from the next line on.
      opened.ownSeq = Math.max(opened.ownSeq, p.ownSeqFloor ?? 0)
      node = opened
      setInterval(postUpdate, UPDATE_INTERVAL_MS)
      serveClients(p.client)
      return {}
    })
  },
  connect(peer: string, port: MessagePort) {
    listen(parseNodeId(peer), port)
  },
  connectRouter(router: string, port: MessagePort) {
    if (!/^router_\d+$/.test(router)) throw new Error(`not a router id: ${router}`)
    listen(router as NodeId, port)
  },
  setFaults(f: FaultState) {
    faults = f
  },
  setSkew(ms: number) {
    skewMs = ms
  },
  setDiskFaults(f) {
    faultyDisk?.setFaults(f)
  },
  async crash() {
    return (await faultyDisk?.crash()) ?? false
  },
  setConfig(config: NodeConfig) {
    node?.reconfigure(config)
  },
  pause() {
    paused = true
    postUpdate()
  },
  resume() {
    paused = false
    for (const fn of held.splice(0)) fn()
    postUpdate()
  },
  put(key, value, level, intent) {
    return outcome(async () => {
      const out = await clientWrite(liveNode(), key, value, level, intent)
      return {
        ok: true as const,
        key,
        version: out.version,
        acks: out.acks,
        ...(out.opId ? { opId: out.opId } : {}),
      }
    })
  },
  read(key, level) {
    return outcome(async () => {
      return toReadResult(await clientRead(liveNode(), key, level))
    })
  },
  startWorkload(spec, history) {
    try {
      const n = liveNode()
      workload?.stop()
      tap ??= workerTap(n.id)
      tap.restart(history?.sampleEvery ?? 1)
      const client: WorkloadClient =
        spec.coordinator === 'token-aware'
          ? {
              put: (key, value, level) => ownerWrite(n, key, value, level),
              read: (key, level) => ownerRead(n, key, level),
              owns: ownedKeyFilter(n, spec.level),
            }
          : {
              put: (key, value, level) => clientWrite(n, key, value, level),
              read: (key, level) => clientRead(n, key, level),
            }
      workload = new WorkloadGenerator(
        spec,
        tap.client(client, () => n.id),
        {
          set: (ms, fn) => setTimeout(() => run(fn), ms) as unknown as number,
          clear: (h) => clearTimeout(h),
        },
        () => performance.now(),
      )
      workload.setCeiling(workloadCeiling)
      return { ok: true, value: null }
    } catch (e) {
      return { ok: false, error: toErrorData(e) }
    }
  },
  stopWorkload() {
    workload?.stop()
  },
  setWorkloadCeiling(fraction: number) {
    workloadCeiling = fraction
    workload?.setCeiling(fraction)
  },
  inspect() {
    return outcome(async () => inspectNode(liveNode()))
  },
  scan(opts) {
    return outcome(() => scanNode(liveNode(), opts))
  },
  query(q) {
    return outcome(() => runNodeQuery(liveNode(), q))
  },
  antiEntropy(opts) {
    return outcome(() => runAntiEntropy(liveNode(), opts ?? {}))
  },
  storage(action) {
    return outcome(() => runStorageAction(liveNode(), action))
  },
  handOverHints(to: string) {
    return outcome(() => liveNode().handoff.handOverHints(parseNodeId(to)))
  },
  handOver(
    ring: unknown,
    n: number,
    bytesPerSec: number,
    beforeRing: unknown,
    beforeN: number,
    progressKey?: string,
  ) {
    const sent: HandOffCount = { rows: 0, bytes: 0 }
    if (progressKey !== undefined) handOffProgress.set(progressKey, sent)
    return outcome(() =>
      streamToNewOwners(liveNode(), {
        ring: ringFromJson(ring),
        n,
        bytesPerSec,
        before: { ring: ringFromJson(beforeRing), n: beforeN },
        onSent: (rows, bytes) => {
          sent.rows += rows
          sent.bytes += bytes
        },
      }),
    ).finally(() => {
      if (progressKey !== undefined) handOffProgress.delete(progressKey)
    })
  },
  countHandOver(ring: unknown, n: number, beforeRing: unknown, beforeN: number) {
    return outcome(() =>
      countForNewOwners(liveNode(), {
        ring: ringFromJson(ring),
        n,
        before: { ring: ringFromJson(beforeRing), n: beforeN },
      }),
    )
  },
  handOverProgress(progressKey: string) {
    const p = handOffProgress.get(progressKey)
    return p ? { ...p } : null
  },
  quiet(): QuietState {
    const n = node
    return {
      groupsIdle: n ? n.groups.idle : true,
      requestsInFlight: n ? n.requests.inFlight : 0,
      delayedSends,
      backlogPeers: n ? [...n.replog.peersWithBacklog()] : [],
      hintTargets: n ? n.hints.targets() : [],
    }
  },
  async close(deleteData: boolean) {
    workload?.stop()
    workload = null
    node?.stop()
    await node?.engine.close()
    node = null
    if (deleteData) await disk?.destroy()
    else disk?.close()
  },
}

expose(api)
