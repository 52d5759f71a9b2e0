/**
 * Worker-runtime benchmark, run on the page by bench/worker.html (driven by scripts/bench-worker.mjs).
 * One page, one run: messaging baselines (worker ↔ worker over a direct MessageChannel, the same via
 * a relay switch worker, page ↔ worker over comlink), then real clusters (one Web Worker per node,
 * IndexedDB storage): replication at W=1, quorum writes, and Merkle anti-entropy convergence.
 * Sizes come from the query string (the script maps env vars onto it).
 */
import { type Remote, transfer, wrap } from 'comlink'
import { resolveOptions } from '../src/cluster/options'
import type { ClusterOptions, NodeInspection, OpOptions, WriteResult } from '../src/cluster/types'
import type { ExchangeStats } from '../src/core/antiEntropy/exchangeStats'
import { createWorkerCluster, type WorkerCluster } from '../src/runtime/workerCluster'
import { modesSection } from './modesSection'
import type { NetSwitchApi } from './netSwitch'
import { queriesSection } from './queryBench'
import { txSection } from './txBench'
import type { RttStats, WorkerPeerApi } from './workerPeer'

const q = new URLSearchParams(location.search)
const num = (name: string, dflt: number): number => {
  const v = q.get(name)
  return v === null || v === '' ? dflt : Number(v)
}
const CFG = {
  pingN: num('PING_N', 20_000),
  comlinkN: num('COMLINK_N', 5_000),
  window: num('WINDOW', 64),
  replWrites: num('REPL_WRITES', 10_000),
  replWindow: num('REPL_WINDOW', 256),
  lagRates: (q.get('LAG_RATES') ?? '5000,1000,200').split(',').map(Number),
  lagSeconds: num('LAG_SECONDS', 3),
  lagPollMs: num('LAG_POLL_MS', 2),
  quorumWrites: num('QUORUM_WRITES', 10_000),
  quorumWindow: num('QUORUM_WINDOW', 128),
  quorumSeq: num('QUORUM_SEQ', 300),
  /** 1 = only the QUORUM variant (quick before/after comparisons). */
  quorumOnly: num('QUORUM_ONLY', 0) === 1,
  /** Extra client pipeline depths for the QUORUM variant (after QUORUM_WINDOW). */
  quorumWindows: (q.get('QUORUM_WINDOWS') ?? '512,1024').split(',').filter(Boolean).map(Number),
  idbTxns: num('IDB_TXNS', 2000),
  aeKeys: num('AE_KEYS', 20_000),
  aeDiverge: num('AE_DIVERGE', 100),
  merkleDepth: num('MERKLE_DEPTH', 12),
  profile: q.get('PROFILE') === '1',
  /** With PROFILE=1: the window (writes in flight) whose quorum variant is profiled; default the first. */
  profileWindow: Number(q.get('PROFILE_WINDOW') ?? 0),
  sections: (q.get('SECTIONS') ?? 'base,repl,quorum,ae').split(','),
}
const VALUE = 'v'.repeat(100)

type Row = { section: string; name: string; value: number; unit: string; note?: string }
const rows: Row[] = []
type Hook = (msg: unknown) => Promise<unknown>
const hook = (msg: unknown): Promise<unknown> =>
  ((window as unknown as { benchReport?: Hook }).benchReport ?? (async () => {}))(msg)
const log = (text: string) => {
  document.getElementById('log')!.textContent += `${text}\n`
  void hook({ type: 'log', text })
}
function report(section: string, name: string, value: number, unit: string, note?: string): void {
  rows.push({ section, name, value, unit, note })
  void hook({ type: 'progress', section, name, value, unit, note })
}

const now = () => performance.now()
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

function pct(values: ArrayLike<number>, p: number): number {
  const s = Float64Array.from(values).sort()
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor(p * s.length))]
}

/** Runs op(i) for i < n with at most `window` in flight; per-op latency in ms. */
async function pipelined(
  n: number,
  window: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ ms: number; lat: Float64Array; errors: number; firstError?: string }> {
  const lat = new Float64Array(n)
  let next = 0
  let errors = 0
  let firstError: string | undefined
  const t0 = now()
  await Promise.all(
    Array.from({ length: Math.min(window, n) }, async () => {
      while (next < n) {
        const i = next++
        const t = now()
        try {
          await op(i)
        } catch (e) {
          errors++
          firstError ??= (e as Error).message
        }
        lat[i] = now() - t
      }
    }),
  )
  return { ms: now() - t0, lat, errors, firstError }
}

// ---- 1. messaging baselines ----------------------------------------------------------------------

function peerWorker(name: string): { worker: Worker; api: Remote<WorkerPeerApi> } {
  const worker = new Worker(new URL('./workerPeer.ts', import.meta.url), { type: 'module', name })
  return { worker, api: wrap<WorkerPeerApi>(worker) }
}

const baseline: Record<string, RttStats> = {}

function reportRtt(key: string, label: string, s: RttStats, unit = 'round trips/s'): void {
  baseline[key] = s
  report(
    'base',
    label,
    s.perSec,
    unit,
    `p50 ${s.p50Us.toFixed(0)} µs, p99 ${s.p99Us.toFixed(0)} µs; ${s.n} round trips`,
  )
}

async function baselines(): Promise<void> {
  const a = peerWorker('peer_a')
  const b = peerWorker('peer_b')
  const sw = new Worker(new URL('./netSwitch.ts', import.meta.url), { type: 'module', name: 'switch' })
  const swApi = wrap<NetSwitchApi>(sw)
  try {
    // Direct MessageChannel between the two workers.
    const ch = new MessageChannel()
    await a.api.attach('a', 'b', transfer(ch.port1, [ch.port1]))
    await b.api.attach('b', 'a', transfer(ch.port2, [ch.port2]))
    await a.api.pingPong(2000, 1) // warm-up (JIT, channel setup)
    const direct1 = await a.api.pingPong(CFG.pingN, 1)
    reportRtt('direct1', 'worker↔worker direct MessageChannel, ping-pong (1 in flight)', direct1)
    const directW = await a.api.pingPong(CFG.pingN, CFG.window)
    reportRtt('directW', `worker↔worker direct MessageChannel, ${CFG.window} in flight`, directW)
    // Same two workers through the relay switch (A → switch → B and back).
    const toA = new MessageChannel()
    const toB = new MessageChannel()
    await swApi.plug('a', transfer(toA.port1, [toA.port1]))
    await swApi.plug('b', transfer(toB.port1, [toB.port1]))
    await a.api.attach('a', 'b', transfer(toA.port2, [toA.port2]))
    await b.api.attach('b', 'a', transfer(toB.port2, [toB.port2]))
    await a.api.pingPong(2000, 1)
    const sw1 = await a.api.pingPong(CFG.pingN, 1)
    reportRtt('switch1', 'worker↔worker via relay switch worker, ping-pong (1 in flight)', sw1)
    const swW = await a.api.pingPong(CFG.pingN, CFG.window)
    reportRtt('switchW', `worker↔worker via relay switch worker, ${CFG.window} in flight`, swW)
    // The fixed cost of one IndexedDB transaction (what a node pays per group commit).
    await a.api.idbTransactions(200)
    await hook({ type: 'cpu-start' })
    const txnMs = await a.api.idbTransactions(CFG.idbTxns)
    const txnCpu = (await hook({ type: 'cpu-stop', ops: CFG.idbTxns, unit: 'transaction' })) as
      | string
      | undefined
    report(
      'base',
      'IndexedDB readwrite transaction, one small put, one at a time (worker)',
      1000 / txnMs,
      'transactions/s',
      `${txnMs.toFixed(2)} ms each${txnCpu ? `; ${txnCpu}` : ''}`,
    )
    report('base', 'messages relayed by the switch', await swApi.relayed(), 'messages')
    // Page ↔ worker over comlink (the control API: every client operation pays this).
    const payload = { key: 'user00001234', value: VALUE, level: 'ONE' }
    for (let i = 0; i < 1000; i++) await a.api.echo(payload)
    const lat = new Float64Array(CFG.comlinkN)
    let t0 = now()
    for (let i = 0; i < CFG.comlinkN; i++) {
      const t = now()
      await a.api.echo(payload)
      lat[i] = now() - t
    }
    let ms = now() - t0
    reportRtt('comlink1', 'page↔worker comlink call, sequential', {
      n: CFG.comlinkN,
      ms,
      perSec: (CFG.comlinkN / ms) * 1000,
      p50Us: pct(lat, 0.5) * 1000,
      p99Us: pct(lat, 0.99) * 1000,
      isolated: crossOriginIsolated,
    })
    t0 = now()
    const p = await pipelined(CFG.comlinkN * 2, CFG.window, () => a.api.echo(payload))
    ms = now() - t0
    reportRtt('comlinkW', `page↔worker comlink call, ${CFG.window} in flight`, {
      n: CFG.comlinkN * 2,
      ms,
      perSec: ((CFG.comlinkN * 2) / ms) * 1000,
      p50Us: pct(p.lat, 0.5) * 1000,
      p99Us: pct(p.lat, 0.99) * 1000,
      isolated: crossOriginIsolated,
    })
  } finally {
    a.worker.terminate()
    b.worker.terminate()
    sw.terminate()
  }
}

// ---- cluster helpers ------------------------------------------------------------------------------

const runId = `bench-${Date.now()}`
let clusterCount = 0

async function makeCluster(opts: Partial<ClusterOptions>): Promise<WorkerCluster> {
  const t0 = now()
  const c = (await createWorkerCluster(
    resolveOptions({
      numNodes: 3,
      persist: true,
      dbPrefix: `${runId}-${clusterCount++}`,
      antiEntropyIntervalMs: 0,
      ...opts,
    }),
  )) as WorkerCluster
  const warnings = (await Promise.all(c.nodes.map((n) => c.inspect(n.index))))
    .map((i) => i.snapshot?.warning)
    .filter(Boolean)
  log(
    `cluster up in ${(now() - t0).toFixed(0)} ms${warnings.length ? ` WARNINGS: ${warnings.join('; ')}` : ''}`,
  )
  if (warnings.length) throw new Error(`storage fell back: ${warnings.join('; ')}`)
  return c
}

async function inspectAll(c: WorkerCluster): Promise<NodeInspection[]> {
  return Promise.all(c.nodes.map((n) => c.inspect(n.index)))
}
const lastSeen = (i: NodeInspection) => (i.lastSeen ?? {}) as Record<string, number>
const ownSeq = (i: NodeInspection) => i.ownSeq as number

/** Polls watermarks until every node has applied every op each origin has made; returns when. */
async function untilAllApplied(c: WorkerCluster, pollMs = 2, timeoutMs = 60_000): Promise<number> {
  const deadline = now() + timeoutMs
  const ids = c.nodes.map((n) => n.id)
  for (;;) {
    const ins = await inspectAll(c)
    const t = now()
    const target = Object.fromEntries(ins.map((x, k) => [ids[k], ownSeq(x)]))
    if (ins.every((x) => ids.every((o) => o === x.id || (lastSeen(x)[o] ?? 0) >= target[o]))) return t
    if (t > deadline) throw new Error('replicas did not converge in time')
    await sleep(pollMs)
  }
}

/** Cluster-wide counters: node stats from inspect() and work messages sent (WorkerCluster.traffic). */
async function counters(c: WorkerCluster): Promise<Record<string, number>> {
  const out: Record<string, number> = { msgs: Object.values(c.traffic).reduce((a, b) => a + b, 0) }
  for (const i of await inspectAll(c))
    for (const [k, v] of Object.entries((i.stats ?? {}) as Record<string, number>)) out[k] = (out[k] ?? 0) + v
  return out
}
/** Per-write work messages and duplicate deliveries between two counters() snapshots. */
function perWrite(a: Record<string, number>, b: Record<string, number>, n: number): string {
  const d = (k: string) => ((b[k] ?? 0) - (a[k] ?? 0)) / n
  return `per write: ${d('msgs').toFixed(2)} work msgs, ${d('applied').toFixed(2)} applies, ${d('commits').toFixed(2)} commits, ${d('duplicates').toFixed(2)} duplicate deliveries`
}

const put = (c: WorkerCluster, node: number, key: string, opts?: OpOptions): Promise<WriteResult> =>
  c.put(node, key, VALUE, opts)

// ---- 2. replication at W=1 ------------------------------------------------------------------------

async function replication(): Promise<void> {
  const c = await makeCluster({ consistency: 'ONE' })
  try {
    await pipelined(1000, 64, (i) => put(c, i % 3, `warm${i}`))
    await untilAllApplied(c)
    for (const [label, coords] of [
      ['all 3 coordinators', 3],
      ['node 0 only', 1],
    ] as const) {
      const n = CFG.replWrites
      const before = await counters(c)
      const t0 = now()
      const p = await pipelined(n, CFG.replWindow, (i) => put(c, i % coords, `r${coords}-${i}`))
      const acked = now()
      const applied = await untilAllApplied(c)
      report(
        'repl',
        `W=1 writes acked by the coordinator (${label}, ${CFG.replWindow} in flight)`,
        (n / (acked - t0)) * 1000,
        'writes/s',
        `ack p50 ${pct(p.lat, 0.5).toFixed(1)} ms, p99 ${pct(p.lat, 0.99).toFixed(1)} ms; ${p.errors} errors`,
      )
      report(
        'repl',
        `W=1 writes applied on ALL 3 nodes (${label})`,
        (n / (applied - t0)) * 1000,
        'writes/s',
        `${n} writes; last ack → all applied ${(applied - acked).toFixed(0)} ms (watermark poll); ${perWrite(before, await counters(c), n)}`,
      )
    }
    for (const rate of CFG.lagRates) await lagRun(c, rate)
  } finally {
    await c.shutdown({ deleteData: true })
  }
}

/**
 * Open-loop writes at `rate`/s (LAG_RATES) from node 0; a write's lag = its ack at the page → the first
 * watermark poll in which both other nodes report lastSeen[node_0] >= its seq. A write's seq is its
 * rank by Lamport ts (the coordinator allocates seq and ts in the same synchronous step).
 */
async function lagRun(c: WorkerCluster, rate: number): Promise<void> {
  const origin = c.nodes[0].id
  const s0 = ownSeq(await c.inspect(0))
  const total = Math.round(rate * CFG.lagSeconds)
  const acks: Array<{ ts: number; ackT: number; issueT: number }> = []
  const samples: Array<{ t: number; wm: number; pollMs: number }> = []
  let running = true
  const poller = (async () => {
    while (running) {
      const t = now()
      const [x, y] = await Promise.all([c.inspect(1), c.inspect(2)])
      const t2 = now()
      samples.push({
        t: t2,
        wm: Math.min(lastSeen(x)[origin] ?? 0, lastSeen(y)[origin] ?? 0),
        pollMs: t2 - t,
      })
      await sleep(CFG.lagPollMs)
    }
  })()
  const pending: Array<Promise<void>> = []
  let errors = 0
  let issued = 0
  const t0 = now()
  while (issued < total) {
    const due = Math.min(total, Math.floor(((now() - t0) * rate) / 1000))
    while (issued < due) {
      const i = issued++
      const issueT = now()
      pending.push(
        put(c, 0, `lag${rate}-${i}`).then(
          (r) => void acks.push({ ts: r.version.ts, ackT: now(), issueT }),
          () => void errors++,
        ),
      )
    }
    await sleep(1)
  }
  const issueMs = now() - t0
  await Promise.all(pending)
  const ackedAll = now()
  await untilAllApplied(c)
  running = false
  await poller
  acks.sort((a, b) => a.ts - b.ts)
  const lags: number[] = []
  const ackLat: number[] = []
  let s = 0
  for (let r = 0; r < acks.length; r++) {
    const seq = s0 + r + 1
    while (s < samples.length && samples[s].wm < seq) s++
    if (s === samples.length) break
    lags.push(Math.max(0, samples[s].t - acks[r].ackT))
    ackLat.push(acks[r].ackT - acks[r].issueT)
  }
  const polls = samples.map((x) => x.pollMs)
  report(
    'repl',
    `open loop: offered ${rate}/s for ${CFG.lagSeconds} s from node 0, achieved issue rate`,
    (total / issueMs) * 1000,
    'writes/s',
    `acks done ${((total / (ackedAll - t0)) * 1000) | 0}/s; ack latency p50 ${pct(ackLat, 0.5).toFixed(1)} ms, p99 ${pct(ackLat, 0.99).toFixed(1)} ms; ${errors} errors`,
  )
  report(
    'repl',
    `@${rate}/s: replication lag (ack at coordinator → applied on both other nodes), p50`,
    pct(lags, 0.5),
    'ms',
    `${lags.length} writes measured`,
  )
  report(
    'repl',
    `@${rate}/s: replication lag, p99`,
    pct(lags, 0.99),
    'ms',
    `max ${pct(lags, 1).toFixed(1)} ms; watermark poll = inspect() on 2 nodes, round trip p50 ${pct(polls, 0.5).toFixed(1)} ms / p99 ${pct(polls, 0.99).toFixed(1)} ms (the lag's resolution), ${samples.length} polls`,
  )
}

// ---- 3. quorum writes -----------------------------------------------------------------------------

async function quorumVariant(
  c: WorkerCluster,
  label: string,
  keyPrefix: string,
  opts: OpOptions | undefined,
  profile = false,
  window = CFG.quorumWindow,
): Promise<void> {
  await pipelined(500, window, (i) => put(c, i % 3, `${keyPrefix}-warm-${i}`, opts))
  if (window === CFG.quorumWindow) {
    const seq = await pipelined(CFG.quorumSeq, 1, (i) => put(c, i % 3, `${keyPrefix}-seq-${i}`, opts))
    report(
      'quorum',
      `${label}: one write at a time`,
      (CFG.quorumSeq / seq.ms) * 1000,
      'ops/s',
      `latency p50 ${pct(seq.lat, 0.5).toFixed(2)} ms, p99 ${pct(seq.lat, 0.99).toFixed(2)} ms`,
    )
  }
  const before = await counters(c)
  if (profile && CFG.profile) await hook({ type: 'profile-start' })
  await hook({ type: 'cpu-start' })
  const p = await pipelined(CFG.quorumWrites, window, (i) => put(c, i % 3, `${keyPrefix}-${i}`, opts))
  const cpu = (await hook({ type: 'cpu-stop', ops: CFG.quorumWrites })) as string | undefined
  if (profile && CFG.profile) await hook({ type: 'profile-stop', label })
  report(
    'quorum',
    `${label}: ${window} in flight over 3 coordinators`,
    (CFG.quorumWrites / p.ms) * 1000,
    'ops/s',
    `latency p50 ${pct(p.lat, 0.5).toFixed(1)} ms, p99 ${pct(p.lat, 0.99).toFixed(1)} ms; ${p.errors} errors${p.firstError ? ` (${p.firstError})` : ''}`,
  )
  if (cpu) report('quorum', `${label}: ${window} in flight, CPU per write`, 0, '', cpu)
  await untilAllApplied(c)
  if (q.get('STORAGE_STATS') === '1') {
    const ins = (await c.inspect(0)) as unknown as {
      storage: {
        levels: Array<{ tables: unknown[] }>
        compactions: Array<{ bytesOut: number; entriesIn: number }>
        writeAmplification: number
        memtable: { bytes: number; entries: number }
      }
    }
    const st = ins.storage
    const out = st.compactions.reduce((s, x) => s + x.bytesOut, 0)
    console.warn(
      `STORAGE ${window}: levels ${st.levels.map((l) => l.tables.length).join('/')} compactions ${st.compactions.length} bytesOut ${out} WA ${st.writeAmplification.toFixed(2)} mem ${st.memtable.entries}/${st.memtable.bytes}`,
    )
  }
  report(
    'quorum',
    `${label}: ${window} in flight, traffic`,
    0,
    '',
    perWrite(before, await counters(c), CFG.quorumWrites),
  )
}

const QUORUM_LABEL = 'QUORUM W=2 R=2 (2W>N: optimistic write, one retry past a newer version)'

async function quorum(): Promise<void> {
  let c = await makeCluster({})
  try {
    await quorumVariant(c, QUORUM_LABEL, 'qq', undefined, CFG.profileWindow === 0)
    // Deeper client pipelines: per-commit and per-message costs spread over bigger batches.
    for (const w of CFG.quorumWindows)
      await quorumVariant(c, QUORUM_LABEL, `qq${w}`, undefined, CFG.profileWindow === w, w)
    if (CFG.quorumOnly) return
    await quorumVariant(c, "level 'ONE' (W=1, no pre-read)", 'q1', { level: 'ONE' })
  } finally {
    await c.shutdown({ deleteData: true })
  }
  c = await makeCluster({ readQuorum: 1 })
  try {
    await quorumVariant(c, 'W=2 R=1 (R+W<=N: no pre-read)', 'qr1', undefined)
  } finally {
    await c.shutdown({ deleteData: true })
  }
}

// ---- 4. Merkle anti-entropy -----------------------------------------------------------------------

type MerkleView = { ranges: Array<{ rangeIndex: number; rootHex: string }> }
async function rootsDiffer(c: WorkerCluster, a: number, b: number): Promise<number> {
  const [x, y] = await Promise.all([c.inspect(a), c.inspect(b)])
  const rx = new Map((x.merkle as MerkleView).ranges.map((r) => [r.rangeIndex, r.rootHex]))
  let differ = 0
  for (const r of (y.merkle as MerkleView).ranges) if (rx.get(r.rangeIndex) !== r.rootHex) differ++
  return differ
}

/** Writes `count` changes at level ONE from node 0: 60% updates, 20% deletes, 20% new keys. */
async function diverge(c: WorkerCluster, tag: string, base: number, count: number): Promise<void> {
  await pipelined(count, 32, (k) => {
    const kind = k % 5
    const key = `ae-${base + k * 37}`
    if (kind === 3) return c.delete(0, key, { level: 'ONE' })
    if (kind === 4) return c.put(0, `ae-new-${tag}-${k}`, VALUE, { level: 'ONE' })
    return c.put(0, key, `${VALUE}-${tag}`, { level: 'ONE' })
  })
}

async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs = 15_000): Promise<number> {
  const t0 = now()
  while (!(await cond())) {
    if (now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
  return now() - t0
}

async function antiEntropy(): Promise<void> {
  const c = await makeCluster({ merkleDepth: CFG.merkleDepth })
  const id = c.nodes.map((n) => n.id)
  let killed = false
  try {
    const t0 = now()
    const load = await pipelined(CFG.aeKeys, 256, (i) => c.put(i % 3, `ae-${i}`, VALUE, { level: 'ONE' }))
    await untilAllApplied(c)
    report(
      'ae',
      `bulk load: ${CFG.aeKeys} keys at level ONE, applied on all 3 nodes`,
      (CFG.aeKeys / (now() - t0)) * 1000,
      'writes/s',
      `${load.errors} errors`,
    )
    const ins = await c.inspect(1)
    const m = ins.merkle as { depth: number; arityBits: number; ranges: unknown[] }
    log(`merkle: depth ${m.depth}, arity ${2 ** m.arityBits}, ${m.ranges.length} ranges per node`)

    // (a) Node 1 partitioned away while node 0 makes changes; after heal the replication log repairs it.
    const seen1 = async (): Promise<boolean> =>
      (lastSeen(await c.inspect(1))[id[0]] ?? 0) >= ownSeq(await c.inspect(0))
    const seen2 = async (): Promise<boolean> =>
      (lastSeen(await c.inspect(2))[id[0]] ?? 0) >= ownSeq(await c.inspect(0))
    c.partition([[0, 2], [1]])
    await diverge(c, 'a', 0, CFG.aeDiverge)
    await waitFor('node 2 to apply', seen2)
    const differA = await rootsDiffer(c, 1, 2)
    c.heal()
    const replogMs = await waitFor('node 1 to catch up from the replication log', seen1)
    report(
      'ae',
      `(a) replication log after heal: node 1 catches up on ${CFG.aeDiverge} changes`,
      replogMs,
      'ms',
      `${differA} of ${m.ranges.length} range roots differed before heal; ${await rootsDiffer(c, 1, 2)} after`,
    )

    // (b) Same, but the origin is killed before heal: only anti-entropy (node 1 ↔ node 2) can repair.
    c.partition([[0, 2], [1]])
    await diverge(c, 'b', 1, CFG.aeDiverge)
    await waitFor('node 2 to apply', seen2)
    await c.kill(0)
    killed = true
    const peers = async (i: number) => (await c.inspect(i)).peers as Record<string, string>
    await waitFor('node 1 to see node 0 down', async () => (await peers(1))[id[0]] === 'down', 10_000)
    const differB = await rootsDiffer(c, 1, 2)
    c.heal()
    const upMs = await waitFor(
      'nodes 1 and 2 to see each other up',
      async () => (await peers(1))[id[2]] === 'up' && (await peers(2))[id[1]] === 'up',
    )
    const tAe = now()
    const all: ExchangeStats[] = []
    let rounds = 0
    let differ = differB
    while (differ > 0 && rounds < 5) {
      rounds++
      all.push(...(await c.antiEntropy(1)))
      differ = await rootsDiffer(c, 1, 2)
    }
    const aeMs = now() - tAe
    const sum = (f: keyof ExchangeStats) => all.reduce((s, x) => s + ((x[f] as number) || 0), 0)
    const failed = all.filter((x) => x.error)
    report(
      'ae',
      `(b) origin killed: antiEntropy(node 1) rounds until node 1 and 2 roots all agree`,
      aeMs,
      'ms',
      `${rounds} round(s), ${all.length} exchanges (${failed.length} with error${failed[0] ? `: ${failed[0].error}` : ''}); ${differB} of ${m.ranges.length} roots differed; ${differ} still differ; peers saw each other up ${upMs.toFixed(0)} ms after heal`,
    )
    report(
      'ae',
      '(b) keys moved: sent / received / applied',
      sum('keysApplied'),
      'keys applied',
      `${sum('keysSent')} sent, ${sum('keysReceived')} received, ${sum('mismatchedLeaves')} mismatched leaves, ${sum('nodesCompared')} tree nodes compared, ${sum('levelsCompared')} level rounds`,
    )
    report(
      'ae',
      '(b) bytes on the wire (both directions)',
      sum('bytesSent'),
      'bytes',
      `full transfer of node 1's rows would be ${sum('fullTransferBytes')} bytes → ${((100 * sum('bytesSent')) / Math.max(1, sum('fullTransferBytes'))).toFixed(1)}% of it; sum of exchange durations ${sum('durationMs').toFixed(0)} ms`,
    )
  } finally {
    if (killed) await c.restart(0).catch(() => {})
    await c.shutdown({ deleteData: true })
  }
}

async function main(): Promise<void> {
  log(`config ${JSON.stringify(CFG)}; crossOriginIsolated=${crossOriginIsolated}`)
  const sections: Record<string, () => Promise<void>> = {
    base: baselines,
    repl: replication,
    quorum,
    ae: antiEntropy,
    queries: () => queriesSection({ makeCluster, report, log, num }),
    tx: () => txSection({ makeCluster, report, log, num }),
    modes: () =>
      modesSection({
        makeCluster,
        pipelined,
        report,
        log,
        cpuStart: () => hook({ type: 'cpu-start' }),
        cpuStop: (ops) => hook({ type: 'cpu-stop', ops }),
        profileStart: async () => (CFG.profile ? hook({ type: 'profile-start' }) : undefined),
        profileStop: async (label) => (CFG.profile ? hook({ type: 'profile-stop', label }) : undefined),
        writes: num('MODES_WRITES', 10_000),
        window: num('MODES_WINDOW', 128),
        rounds: num('MODES_ROUNDS', 3),
        value: VALUE,
      }),
  }
  for (const s of CFG.sections) {
    const t0 = now()
    await sections[s]()
    log(`section ${s} took ${((now() - t0) / 1000).toFixed(1)} s`)
  }
  await hook({ type: 'result', rows, cfg: CFG, isolated: crossOriginIsolated, runId })
}

main().catch((e) => void hook({ type: 'error', message: String((e as Error)?.stack ?? e) }))
