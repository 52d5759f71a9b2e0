import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'
import { browserCpu, freePort, targetCaller, threadCpu } from './bench-helpers.mjs'
import { launchChromium } from './launch-chromium.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const PARAMS = [
  'PING_N',
  'COMLINK_N',
  'WINDOW',
  'REPL_WRITES',
  'REPL_WINDOW',
  'LAG_RATES',
  'LAG_SECONDS',
  'LAG_POLL_MS',
  'QUORUM_WRITES',
  'QUORUM_WINDOW',
  'QUORUM_SEQ',
  'QUORUM_ONLY',
  'QUORUM_WINDOWS',
  'IDB_TXNS',
  'AE_KEYS',
  'AE_DIVERGE',
  'MERKLE_DEPTH',
  'SECTIONS',
  'MODES_WRITES',
  'MODES_WINDOW',
  'MODES_ROUNDS',
  'PROFILE',
  'PROFILE_WINDOW',
  'STORAGE_STATS',
  'RANGE_ROWS',
  'RANGE_REPS',
  'CACHE_KEYS',
  'CACHE_READS',
  'CACHE_WINDOW',
  'TX_UNITS',
  'TX_WINDOW',
  'TX_SNAPSHOT',
]
const PROFILE = process.env.PROFILE === '1'
/** CPU_THREADS=1: CPU per op split by Chromium thread group (browser:IndexedDB, renderer:DedicatedWorker, …). */
const cpuNow = process.env.CPU_THREADS === '1' ? threadCpu : browserCpu
/** With PROFILE=1: ALLOC=1 samples the workers' allocations (including garbage) instead of CPU. */
const ALLOC = process.env.ALLOC === '1'

/** CPU profiles of the node workers (their own CDP targets) and the page. */
function profiler(browser, page) {
  let cdp
  let pageCdp
  const sessions = []
  let call
  return {
    async start() {
      sessions.length = 0
      cdp = await browser.newBrowserCDPSession()
      call = targetCaller(cdp)
      const { targetInfos } = await cdp.send('Target.getTargets')
      for (const t of targetInfos.filter((x) => x.type === 'worker')) {
        const { sessionId } = await cdp.send('Target.attachToTarget', {
          targetId: t.targetId,
          flatten: false,
        })
        sessions.push({ name: t.title || t.url, sessionId })
        if (ALLOC) {
          await call(sessionId, 'HeapProfiler.enable')
          await call(sessionId, 'HeapProfiler.startSampling', {
            samplingInterval: 4096,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: true,
          })
          continue
        }
        await call(sessionId, 'Profiler.enable')
        await call(sessionId, 'Profiler.setSamplingInterval', { interval: 200 })
        await call(sessionId, 'Profiler.start')
      }
      pageCdp = await page.context().newCDPSession(page)
      await pageCdp.send('Profiler.enable')
      await pageCdp.send('Profiler.setSamplingInterval', { interval: 200 })
      await pageCdp.send('Profiler.start')
    },
    async stop() {
      const out = []
      for (const s of sessions) {
        if (ALLOC) {
          const r = await call(s.sessionId, 'HeapProfiler.stopSampling')
          out.push({ name: s.name, heapProfile: r?.profile })
          continue
        }
        // A worker that ended since start (another section's cluster) has no session any more.
        const r = await call(s.sessionId, 'Profiler.stop').catch(() => null)
        if (r?.profile) out.push({ name: s.name, profile: r.profile })
      }
      const { profile } = await pageCdp.send('Profiler.stop')
      out.push({ name: 'page (main thread)', profile })
      await pageCdp.detach().catch(() => {})
      await cdp.detach().catch(() => {})
      return out
    },
  }
}

/** Self time per function (top n) and the busy fraction of one profile. */
function summarise(profile, n = 15) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]))
  const self = new Map()
  let total = 0
  let idle = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0
    const node = byId.get(profile.samples[i])
    const cf = node.callFrame
    total += dt
    if (cf.functionName === '(idle)') {
      idle += dt
      continue
    }
    const file = cf.url ? basename(cf.url.split('?')[0]) : ''
    const k = `${cf.functionName || '(anonymous)'}${file ? ` ${file}:${cf.lineNumber + 1}` : ''}`
    self.set(k, (self.get(k) ?? 0) + dt)
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
  const files = new Map()
  for (const [k, v] of self) {
    const f = k.includes(' ') && k.includes(':') ? k.split(' ').at(-1).split(':')[0] : '(native/runtime)'
    files.set(f, (files.get(f) ?? 0) + v)
  }
  return {
    totalMs: total / 1000,
    busy: total ? 1 - idle / total : 0,
    top: top.map(([k, v]) => [k, v / total]),
    files: [...files.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, v]) => [k, v / total]),
  }
}

let cpuMark = {}

function cpuPerOp(a, b, ops, unit = 'write') {
  const parts = Object.keys(b)
    .map((k) => [k, ((b[k] - (a[k] ?? 0)) * 1000) / ops])
    .filter(([, us]) => us >= 1)
    .sort((x, y) => y[1] - x[1])
  if (parts.length === 0) return undefined
  const total = parts.reduce((s, [, us]) => s + us, 0)
  return `${total.toFixed(0)} µs of CPU per ${unit} (${parts.map(([k, us]) => `${k} ${us.toFixed(0)}`).join(', ')})`
}

const port = await freePort()
const server = await createServer({
  root,
  configFile: false,
  logLevel: 'warn',
  // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
  server: {
    host: '127.0.0.1',
    port,
    strictPort: true,
    headers: {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
  worker: { format: 'es' },
  optimizeDeps: { entries: ['bench/worker.html'], include: ['idb', 'comlink'] },
})
await server.listen()
const browser = await launchChromium()
const started = Date.now()
let exitCode = 0
try {
  const page = await browser.newPage()
  page.on('pageerror', (e) => console.error('[page error]', e.message))
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.error(`[console.${m.type()}]`, m.text())
  })
  const prof = profiler(browser, page)
  const profiles = []
  const done = new Promise((res, rej) => {
    page.exposeFunction('benchReport', async (msg) => {
      if (msg.type === 'log') console.log(`  ${msg.text}`)
      else if (msg.type === 'progress')
        console.log(
          `  [${msg.section}] ${msg.name}: ${fmt(msg.value)} ${msg.unit}${msg.note ? ` (${msg.note})` : ''}`,
        )
      else if (msg.type === 'profile-start' && PROFILE) await prof.start()
      else if (msg.type === 'profile-stop' && PROFILE)
        profiles.push({ label: msg.label, targets: await prof.stop() })
      else if (msg.type === 'cpu-start') cpuMark = cpuNow()
      else if (msg.type === 'cpu-stop') return cpuPerOp(cpuMark, cpuNow(), msg.ops, msg.unit)
      else if (msg.type === 'result') res(msg)
      else if (msg.type === 'error') rej(new Error(msg.message))
    })
  })
  const qs = new URLSearchParams()
  for (const p of PARAMS) if (process.env[p]) qs.set(p, process.env[p])
  await page.goto(`http://127.0.0.1:${port}/bench/worker.html?${qs}`)
  const result = await done
  printTables(result)
  for (const p of profiles) printProfile(p)
  if (process.env.PROFILE_OUT) saveProfiles(process.env.PROFILE_OUT, profiles)
  console.log(`\ntotal wall time ${((Date.now() - started) / 1000).toFixed(0)} s`)
} catch (e) {
  console.error('benchmark failed:', e)
  exitCode = 1
} finally {
  await browser.close()
  await server.close()
}
process.exit(exitCode)

function fmt(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v)
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2)
}

function printTables({ rows, isolated }) {
  const titles = {
    base: '1. Messaging baselines (replicate-sized messages, ~330 B)',
    repl: "2. Replication, 3 nodes all-to-all, consistency 'ONE' (W=1)",
    quorum: '3. Quorum writes, 3 nodes, RF=3',
    ae: '4. Merkle anti-entropy convergence (3 nodes)',
  }
  console.log(`\ncrossOriginIsolated=${isolated} (timer resolution ${isolated ? '5' : '100'} µs)`)
  for (const [section, title] of Object.entries(titles)) {
    const rs = rows.filter((r) => r.section === section)
    if (rs.length === 0) continue
    console.log(`\n### ${title}\n\n| measurement | value | unit | note |\n|---|---:|---|---|`)
    for (const r of rs)
      console.log(`| ${r.name} | ${r.unit ? fmt(r.value) : ''} | ${r.unit} | ${r.note ?? ''} |`)
  }
  const get = (prefix) => rows.find((r) => r.name.startsWith(prefix))?.value
  const raw1 = get('worker↔worker direct MessageChannel, ping-pong')
  const rawW = rows.filter((r) => r.name.startsWith('worker↔worker direct'))[1]?.value
  const quorumRows = rows.filter((r) => r.name.startsWith('QUORUM') && / in flight over /.test(r.name))
  const windowOf = (r) => r.name.match(/(\d+) in flight/)?.[1]
  const ratios = [
    ['relay switch vs direct, ping-pong rate', get('worker↔worker via relay switch worker, ping-pong'), raw1],
    [
      'relay switch vs direct, pipelined rate',
      rows.filter((r) => r.name.startsWith('worker↔worker via relay'))[1]?.value,
      rawW,
    ],
    [
      'comlink page↔worker vs direct worker↔worker, sequential',
      get('page↔worker comlink call, sequential'),
      raw1,
    ],
    [
      'W=1 applied on all 3 (all coordinators) vs raw ping-pong',
      get('W=1 writes applied on ALL 3 nodes (all'),
      raw1,
    ],
    [
      'W=1 applied on all 3 (all coordinators) vs raw pipelined',
      get('W=1 writes applied on ALL 3 nodes (all'),
      rawW,
    ],
    [
      'W=1 applied on all 3 (node 0 only) vs raw pipelined',
      get('W=1 writes applied on ALL 3 nodes (node'),
      rawW,
    ],
    ...quorumRows.flatMap((r) => [
      [`QUORUM, ${windowOf(r)} in flight vs raw pipelined`, r.value, rawW],
      [`QUORUM, ${windowOf(r)} in flight vs 10k ops/s target`, r.value, 10_000],
    ]),
    ["level 'ONE' pipelined vs raw pipelined", get("level 'ONE' (W=1, no pre-read): 128"), rawW],
    ['W=2 R=1 pipelined vs raw pipelined', get('W=2 R=1 (R+W<=N: no pre-read): 128'), rawW],
  ]
  console.log('\n### Ratios (same run)\n\n| comparison | a | b | a/b |\n|---|---:|---:|---:|')
  for (const [name, a, b] of ratios) {
    if (a === undefined || b === undefined) continue
    console.log(`| ${name} | ${fmt(a)} | ${fmt(b)} | ${(a / b).toFixed(3)}x |`)
  }
}

/** Writes each raw profile as a .cpuprofile (open in Chrome DevTools' Performance panel). */
function saveProfiles(dir, profiles) {
  mkdirSync(dir, { recursive: true })
  profiles.forEach(({ targets }, i) => {
    for (const [j, t] of targets.entries()) {
      if (t.heapProfile) {
        const file = resolve(dir, `${i}-${j}-${t.name.replace(/[^\w.-]+/g, '_')}.heapprofile`)
        writeFileSync(file, JSON.stringify(t.heapProfile))
        console.log(`allocation profile saved: ${file}`)
      }
      if (!t.profile) continue
      // Every cluster's workers are named node_0…: the target's index keeps their files apart.
      const file = resolve(dir, `${i}-${j}-${t.name.replace(/[^\w.-]+/g, '_')}.cpuprofile`)
      writeFileSync(file, JSON.stringify(t.profile))
      console.log(`profile saved: ${file}`)
    }
  })
}

function printProfile({ label, targets }) {
  console.log(`\n### CPU profile during: ${label}\n`)
  for (const t of targets) {
    if (!t.profile) continue
    const s = summarise(t.profile)
    console.log(`**${t.name}**: ${fmt(s.totalMs)} ms sampled, busy ${(s.busy * 100).toFixed(0)}%`)
    console.log('\n| self time | function |\n|---:|---|')
    for (const [k, f] of s.top) console.log(`| ${(f * 100).toFixed(1)}% | ${k.replaceAll('|', '\\|')} |`)
    console.log(`\nby file: ${s.files.map(([k, f]) => `${k} ${(f * 100).toFixed(1)}%`).join(', ')}`)
    console.log('')
  }
}
