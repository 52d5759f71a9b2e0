/**
 * The page side of the live checker: records the live cluster's client operations (console,
 * workload, window.playground) and streams them to the checker worker in batches; the worker's
 * verdicts land in the store. `runFinalCheck` settles the cluster, runs anti-entropy, reads every
 * recorded key at ALL and hands the replicas' versions to the worker (lost writes, divergence).
 */
import { type HistoryRecorder, recordHistory, runConfigOf } from '../../cluster/recordHistory'
import type { Cluster } from '../../cluster/types'
import type { CrdtFinal, CrdtRecord } from '../../core/checker/crdtLive'
import type { ReplicaEntry } from '../../core/checker/divergence'
import type { LiveOp, Verdict } from '../../core/checker/incremental'
import type { FaultSnapshot } from '../../core/checker/opContext'
import { toErrorData } from '../../core/errors'
import { LARGE_CLUSTER_NODES, LARGE_WRITE_EVERY_MS, LatestEvery } from '../model/latestEvery'
import { useStore } from '../store/store'
import { NO_FEED, type VerdictFeed } from '../store/verdictSlice'
import { CHECKER_PROTOCOL, type FromChecker, type ToChecker } from './checkerProtocol'

const SEND_EVERY_MS = 100
/**
 * From 13 nodes (compact cards) the verdict reaches the store at most once a second. The checker
 * answers ~4 times a second and the feed was written on every 100 ms poll, and each store write runs
 * every card's selectors: at 32 nodes and 3k ops/s those two writes took 142 of the page's ~550 ms of
 * script in 5 s (a CPU profile, scripts/probe-frames.mjs PROFILE=1).
 */
const writeEvery = (): number =>
  useStore.getState().members.length >= LARGE_CLUSTER_NODES ? LARGE_WRITE_EVERY_MS : 0
const verdictWrites = new LatestEvery<Verdict>((v) => useStore.getState().setVerdict(v), writeEvery)
/**
 * The feed's counts change on nearly every poll while the node-side workload samples its keys (the
 * skipped count grows): at any size they reach the store at most once a second (5 nodes @ 1k writes:
 * 50 of the page's 113 store writes in 5 s were the feed).
 */
const feedWrites = new LatestEvery<VerdictFeed>(
  (f) => useStore.getState().setVerdictFeed(f),
  () => LARGE_WRITE_EVERY_MS,
)
const FINAL_KEYS_MAX = 200
const KEYS_TRACKED_MAX = 5000

let worker: Worker | null = null
let recorder: HistoryRecorder | null = null
let live: Cluster | null = null
let ops: LiveOp[] = []
let faults: FaultSnapshot[] = []
let crdt: CrdtRecord[] = []
const crdtKeys = new Set<string>()
let sendTimer: ReturnType<typeof setTimeout> | null = null
let pollTimer: ReturnType<typeof setInterval> | null = null
/** Key samplings of the node-side workload seen on this cluster (sent with every batch). */
const samplings = new Set<number>()
let opsLost = false
/** Recently used keys, oldest first (the final check reads the newest FINAL_KEYS_MAX). */
const keys = new Set<string>()
let source = 'api'
let finalSeq = 0
const finalWaiters = new Map<number, () => void>()

/** Runs `fn` with its cluster calls recorded as coming from `name` ('console', 'workload'). */
export function asSource<T>(name: string, fn: () => T): T {
  const before = source
  source = name
  try {
    return fn()
  } finally {
    source = before
  }
}

function post(m: ToChecker): void {
  worker?.postMessage(m)
}

function send(): void {
  sendTimer = null
  if (ops.length === 0 && faults.length === 0 && crdt.length === 0) return
  const sampling = samplings.size > 0 ? { every: [...samplings], lost: opsLost } : undefined
  post({ v: CHECKER_PROTOCOL, t: 'events', ops, faults, crdt, ...(sampling ? { sampling } : {}) })
  ops = []
  faults = []
  crdt = []
}

function later(): void {
  if (sendTimer === null) sendTimer = setTimeout(send, SEND_EVERY_MS)
}

function onMessage(e: MessageEvent<FromChecker>): void {
  const m = e.data
  const s = useStore.getState()
  if (m.t === 'verdict') verdictWrites.push(m.verdict)
  else if (m.t === 'final-done') {
    // The final check's verdict came just before: the caller reads it from the store.
    verdictWrites.flush()
    finalWaiters.get(m.id)?.()
  } else if (m.t === 'error') s.setError({ code: 'INTERNAL', message: `checker: ${m.code}: ${m.message}` })
}

function ensureWorker(): Worker | null {
  if (worker) return worker
  try {
    worker = new Worker(new URL('./checkerWorker.ts', import.meta.url), { type: 'module', name: 'checker' })
    worker.onmessage = onMessage
  } catch {
    worker = null
  }
  return worker
}

/**
 * Takes the node-side workload's ops (the worker runtime's nodes and the simulator's generator run
 * it, not the page) into the history, and says on the chip how they were sampled.
 */
function pollWorkload(): void {
  const batches = live?.takeWorkloadHistory?.() ?? []
  if (!recorder || batches.length === 0) return
  for (const b of batches) {
    if (b.sampleEvery > 1) samplings.add(b.sampleEvery)
    if (b.dropped > 0) opsLost = true
    recorder.workload(b)
  }
  const c = recorder.workloadCounts
  const f = useStore.getState().verdictFeed
  if (f.sampleEvery === c.sampleEvery && f.skipped === c.skipped && f.dropped === c.dropped) return
  feedWrites.push({ sampleEvery: c.sampleEvery, skipped: c.skipped, dropped: c.dropped })
}

/** Starts checking a newly shown cluster (the previous one's history is dropped). */
export function attachVerdict(cluster: Cluster): void {
  recorder?.stop()
  live = cluster
  ops = []
  faults = []
  crdt = []
  keys.clear()
  crdtKeys.clear()
  samplings.clear()
  opsLost = false
  if (pollTimer === null) pollTimer = setInterval(pollWorkload, SEND_EVERY_MS)
  verdictWrites.cancel()
  feedWrites.cancel()
  useStore.getState().setVerdictFeed(NO_FEED)
  useStore.getState().setSelectedAnomaly(null)
  useStore.getState().setFinalCheck({ busy: false, note: null })
  if (!ensureWorker()) return
  post({ v: CHECKER_PROTOCOL, t: 'reset', config: runConfigOf(cluster.options) })
  recorder = recordHistory(
    cluster,
    {
      ops: (batch) => {
        for (const op of batch) {
          ops.push(op)
          if (op.type === 'invoke') {
            keys.delete(op.key)
            keys.add(op.key)
            if (keys.size > KEYS_TRACKED_MAX) keys.delete(keys.values().next().value as string)
          }
        }
        later()
      },
      faults: (f) => {
        faults.push(f)
        later()
      },
      crdt: (r) => {
        crdt.push(r)
        if (crdtKeys.size < KEYS_TRACKED_MAX) crdtKeys.add(r.key)
        later()
      },
    },
    { source: () => source },
  )
}

/** Settles, runs anti-entropy, reads each recorded key at ALL and checks the replicas' versions. */
export async function runFinalCheck(): Promise<string> {
  const c = live
  const rec = recorder
  const s = useStore.getState()
  if (!c || !rec || !worker) return 'no cluster'
  s.setFinalCheck({ busy: true, note: 'settling, then anti-entropy from every node…' })
  try {
    await c.settle({ timeoutMs: 15_000 }).catch(() => {})
    for (const n of c.nodes) if (n.status === 'up') await c.antiEntropy(n.id).catch(() => {})
    await c.settle({ timeoutMs: 15_000 }).catch(() => {})
    const upNode = c.nodes.find((n) => n.status === 'up')
    if (!upNode) throw new Error('no node is up')
    const merging = (key: string) =>
      c.options.consistencyMode === 'vector' || Object.hasOwn(c.options.crdtConfig, key)
    const finalValues: Array<[string, string | null]> = []
    const replicas: Record<string, Record<string, ReplicaEntry>> = {}
    const holders: Record<string, string[]> = {}
    let skipped = 0
    for (const key of [...keys].slice(-FINAL_KEYS_MAX)) {
      try {
        const r = await rec.rawRead(upNode.id, key, { level: 'ALL' })
        const winner = r.version ? `${r.version.ts}@${r.version.node}` : null
        // A merged key keeps every concurrent write (siblings, a CRDT): no single final value, and
        // replicas with equal states may carry other stamps — the simulator compares canonical states.
        if (merging(key)) continue
        finalValues.push([key, rec.nameOf(key, r.value)])
        holders[key] = r.replies.map((x) => x.node)
        for (const x of r.replies) {
          const v = x.version ? `${x.version.ts}@${x.version.node}` : null
          replicas[x.node] ??= {}
          if (v === null) continue
          // A reply holding the winning tombstone is a delete; any other version stands for its value.
          replicas[x.node][key] = { value: v, version: v, tombstone: v === winner && r.value === null }
        }
      } catch {
        skipped++
      }
    }
    const crdtFinals: Array<[string, CrdtFinal]> = []
    for (const key of [...crdtKeys].slice(-FINAL_KEYS_MAX)) {
      const r = await rec.rawRead(upNode.id, key, { level: 'ALL' }).catch(() => null)
      if (r?.crdt) crdtFinals.push([key, { type: r.crdt.type, value: r.crdt.value }])
      else skipped++
    }
    const id = ++finalSeq
    await new Promise<void>((resolve) => {
      finalWaiters.set(id, resolve)
      post({
        v: CHECKER_PROTOCOL,
        t: 'final',
        id,
        finalValues,
        replicas,
        holders,
        crdtFinals,
        time: rec.now(),
      })
    })
    finalWaiters.delete(id)
    const note = `checked ${finalValues.length} keys after settle and anti-entropy${skipped > 0 ? `; ${skipped} not checked (a replica did not answer a read at ALL)` : ''}`
    useStore.getState().setFinalCheck({ busy: false, note })
    return note
  } catch (e) {
    const note = `final check failed: ${toErrorData(e).message}`
    useStore.getState().setFinalCheck({ busy: false, note })
    return note
  }
}
