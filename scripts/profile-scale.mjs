// Where the node workers' CPU goes under the dashboard's workload: a CPU profile of every worker (their
// own CDP targets), summed, with worker CPU per op from /proc. Build unminified for names:
//   npx vite build --minify false --outDir /tmp/dist-dev && BENCH_DIST=/tmp/dist-dev node scripts/profile-scale.mjs
// NODES=16 RATE=2000 MS=5000 READS=0.5 WINDOW=4 (batchWindowMsMax) PROFILE=0 (CPU only, no profiler)
// RUNTIME=sim (the simulator on the page's thread, for the ratio) TOP=30
// GUARD=1 the page's frame guard on (off by default: CPU per op at the offered load)
// CALLERS=postMessage,transaction  also print who calls these (self time by caller chain, 3 frames)
import { spawn } from 'node:child_process'
import { basename } from 'node:path'
import { freePort, targetCaller, threadCpuByTid } from './bench-helpers.mjs'
import { launchChromium } from './launch-chromium.mjs'

const env = (k, d) => (process.env[k] === undefined ? d : process.env[k])
const NODES = Number(env('NODES', 16))
const RATE = Number(env('RATE', 2000))
const MS = Number(env('MS', 5000))
const READS = Number(env('READS', 0.5))
const WINDOW = Number(env('WINDOW', 4))
const PROFILE = env('PROFILE', '1') === '1'
const SIM = env('RUNTIME', '') === 'sim'
const GUARD = env('GUARD', '0') === '1'
const TOP = Number(env('TOP', 30))
const DIST = env('BENCH_DIST', 'dist')
const CALLERS = env('CALLERS', '').split(',').filter(Boolean)

const port = await freePort()
const server = spawn(process.execPath, ['scripts/serve-static.mjs', DIST, '/demo/', String(port)], {
  stdio: 'ignore',
})
await new Promise((r) => setTimeout(r, 400))
const browser = await launchChromium()
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.on('pageerror', (e) => console.error('pageerror:', e.message))
  await page.goto(`http://127.0.0.1:${port}/demo/${SIM ? '?runtime=sim' : ''}`)
  await page.waitForFunction(() => window.playground?.ready === true, null, { timeout: 30_000 })
  await page.evaluate(
    ({ n, w, sim }) =>
      window.playground.createCluster({
        numNodes: n,
        replicationFactor: Math.min(3, n),
        batchWindowMsMax: w,
        ...(sim ? { runtime: 'sim' } : {}),
      }),
    { n: NODES, w: WINDOW, sim: SIM },
  )
  await page.getByTestId('tab-workload').click()
  if (RATE > 0)
    await page.evaluate(
      ({ rate, reads, guard }) =>
        window.playground.startWorkload({
          frameGuard: guard,
          ratePerSec: rate,
          concurrencyMax: 1024,
          coordinator: 'token-aware',
          readFraction: reads,
          distribution: 'uniform',
          keyCount: 10_000,
        }),
      { rate: RATE, reads: READS, guard: GUARD },
    )
  await page.waitForTimeout(2500)
  const cdp = await browser.newBrowserCDPSession()
  const call = targetCaller(cdp)
  const sessions = []
  if (PROFILE) {
    const { targetInfos } = await cdp.send('Target.getTargets')
    for (const t of targetInfos.filter((x) => x.type === 'worker')) {
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })
      sessions.push(sessionId)
      await call(sessionId, 'Profiler.enable')
      await call(sessionId, 'Profiler.setSamplingInterval', { interval: 250 })
      await call(sessionId, 'Profiler.start')
    }
  }
  const sampleOps = (n) =>
    page.evaluate((n) => {
      const recent = window.playground.state().samples.slice(-n)
      const mean = (f) => (recent.length ? recent.reduce((a, s) => a + f(s), 0) / recent.length : 0)
      return {
        tput: mean((s) => s.opsPerSec),
        p50: mean((s) => s.p50Ms),
        p99: recent.map((s) => s.p99Ms.toFixed(0)).join(' '),
        notice: document.querySelector('[data-testid="saturation-notice"]')?.textContent ?? '',
      }
    }, n)
  const pageCdp = await page.context().newCDPSession(page)
  await pageCdp.send('Performance.enable')
  const mainMs = async () =>
    (await pageCdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value * 1000
  const traffic = () =>
    page.evaluate(() => Object.values(window.playground.cluster?.traffic ?? {}).reduce((a, b) => a + b, 0))
  const w0 = await traffic()
  const c0 = threadCpuByTid()
  const m0 = await mainMs()
  const t0 = Date.now()
  const frames = await page.evaluate(async (ms) => {
    const d = []
    let last = performance.now()
    const end = last + ms
    await new Promise((resolve) => {
      const f = (t) => {
        d.push(t - last)
        last = t
        if (t < end) requestAnimationFrame(f)
        else resolve()
      }
      requestAnimationFrame(f)
    })
    d.shift()
    d.sort((a, b) => a - b)
    return { fps: (d.length * 1000) / ms, p95: d[Math.floor(0.95 * (d.length - 1))] }
  }, MS)
  const c1 = threadCpuByTid()
  const m1 = await mainMs()
  const w1 = await traffic()
  const secs = (Date.now() - t0) / 1000
  const lat = await sampleOps(Math.max(1, Math.floor(MS / 500)))
  const tput = lat.tput
  const groups = {}
  for (const [tid, v] of Object.entries(c1)) {
    const before = c0[tid]
    if (!before) continue
    groups[v.group] = (groups[v.group] ?? 0) + (v.ms - before.ms)
  }
  const worker = groups['renderer:DedicatedWorker'] ?? 0
  console.log(
    `${SIM ? 'sim' : 'worker'} ${NODES} nodes @${RATE} (reads ${READS}, window ${WINDOW}): achieved ${tput.toFixed(0)} ops/s over ${secs.toFixed(1)} s`,
  )
  console.log(
    `worker CPU ${(worker / secs).toFixed(0)} ms/s = ${(worker / Math.max(1, tput * secs)).toFixed(3)} ms/op; page main ${((m1 - m0) / secs).toFixed(0)} ms/s = ${((m1 - m0) / Math.max(1, tput * secs)).toFixed(3)} ms/op; ${((w1 - w0) / Math.max(1, tput * secs)).toFixed(2)} work messages per op`,
  )
  console.log(`frames ${frames.fps.toFixed(1)} fps, p95 ${frames.p95.toFixed(1)} ms`)
  console.log(
    `latency p50 ${lat.p50.toFixed(1)} ms; p99 per sample ${lat.p99}${lat.notice ? `\nnotice: ${lat.notice}` : ''}`,
  )
  console.log(
    'CPU by thread group (ms/s):',
    Object.entries(groups)
      .filter(([, v]) => v / secs >= 10)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${(v / secs).toFixed(0)}`)
      .join(', '),
  )
  if (PROFILE) {
    const self = new Map()
    const files = new Map()
    const callers = new Map()
    let total = 0
    let idle = 0
    for (const s of sessions) {
      const r = await call(s, 'Profiler.stop')
      const p = r?.profile
      if (!p) continue
      const byId = new Map(p.nodes.map((x) => [x.id, x]))
      const parent = new Map()
      for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x)
      for (let i = 0; i < p.samples.length; i++) {
        const dt = (p.timeDeltas[i] ?? 0) / 1000
        const cf = byId.get(p.samples[i]).callFrame
        total += dt
        if (cf.functionName === '(idle)') {
          idle += dt
          continue
        }
        const file = cf.url ? basename(cf.url.split('?')[0]) : '(native)'
        const k = `${cf.functionName || '(anonymous)'} ${file}:${cf.lineNumber + 1}`
        self.set(k, (self.get(k) ?? 0) + dt)
        if (CALLERS.includes(cf.functionName)) {
          const chain = []
          let up = parent.get(p.samples[i])
          for (let d = 0; d < 3 && up; d++, up = parent.get(up.id))
            chain.push(`${up.callFrame.functionName || '(anon)'}:${up.callFrame.lineNumber + 1}`)
          const ck = `${cf.functionName} ← ${chain.join(' ← ')}`
          callers.set(ck, (callers.get(ck) ?? 0) + dt)
        }
        files.set(file, (files.get(file) ?? 0) + dt)
      }
    }
    const busy = total - idle
    console.log(`\nworkers sampled busy ${busy.toFixed(0)} ms (of ${total.toFixed(0)}); top self time:`)
    for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP))
      console.log(`${v.toFixed(0).padStart(7)} ms ${((100 * v) / busy).toFixed(1).padStart(5)}%  ${k}`)
    if (callers.size) console.log('\ncallers:')
    for (const [k, v] of [...callers.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP))
      console.log(`${v.toFixed(0).padStart(7)} ms ${((100 * v) / busy).toFixed(1).padStart(5)}%  ${k}`)
  }
  await page.evaluate(() => window.playground.stopWorkload())
} finally {
  await browser.close()
  server.kill()
}
