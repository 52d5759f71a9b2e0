// Where a 16-node worker page's late frames come from: frame deltas, long tasks and the main thread's
// busy time, idle (no workload) and under a workload. Not part of any suite; a diagnosis tool.
//   npx vite build && NODES=16 RATE=0 node scripts/probe-frames.mjs   (RATE=0: no workload; BENCH_DIST=dir: another build;
//   READS=0.5 read fraction; TAB=workload opens that tab first; REDUCED=1 reduced motion)
import { spawn } from 'node:child_process'
import { freePort, threadCpuByTid } from './bench-helpers.mjs'
import { launchChromium } from './launch-chromium.mjs'

const NODES = Number(process.env.NODES ?? 16)
const RATE = Number(process.env.RATE ?? 0)
const MS = Number(process.env.MS ?? 5000)
const READS = Number(process.env.READS ?? 0.5)
const QUERY = process.env.QUERY ?? ''
const port = await freePort()
const server = spawn(
  process.execPath,
  ['scripts/serve-static.mjs', process.env.BENCH_DIST ?? 'dist', '/demo/', String(port)],
  {
    stdio: 'ignore',
  },
)
await new Promise((r) => setTimeout(r, 400))
const browser = await launchChromium()
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  if (process.env.REDUCED) await page.emulateMedia({ reducedMotion: 'reduce' })
  await page.goto(`http://127.0.0.1:${port}/demo/${QUERY}`)
  await page.waitForFunction(() => window.playground?.ready === true, null, { timeout: 30_000 })
  await page.evaluate(async (n) => {
    await window.playground.createCluster({ numNodes: n, replicationFactor: Math.min(3, n) })
  }, NODES)
  // TAB=workload: that tab open, as the scale bench has it (its charts redraw under load).
  if (process.env.TAB) await page.getByTestId(`tab-${process.env.TAB}`).click()
  if (RATE > 0)
    await page.evaluate(
      ({ rate, reads }) =>
        window.playground.startWorkload({
          ratePerSec: rate,
          concurrencyMax: 1024,
          coordinator: 'token-aware',
          readFraction: reads,
          distribution: 'uniform',
          keyCount: 10_000,
        }),
      { rate: RATE, reads: READS },
    )
  await page.waitForTimeout(2000)
  const cdp = process.env.PROFILE ? await page.context().newCDPSession(page) : null
  if (cdp) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
    await cdp.send('Profiler.start')
  }
  const mcdp = await page.context().newCDPSession(page)
  const traceEvents = []
  if (process.env.TRACE) {
    mcdp.on('Tracing.dataCollected', (d) => traceEvents.push(...d.value))
    await mcdp.send('Tracing.start', {
      categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
      transferMode: 'ReportEvents',
    })
  }
  await mcdp.send('Performance.enable')
  const metrics = async () =>
    Object.fromEntries((await mcdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]))
  const m0 = await metrics()
  const cpu0 = threadCpuByTid()
  const r = await page.evaluate(async (ms) => {
    const longs = []
    const obs = new PerformanceObserver((l) => {
      for (const e of l.getEntries()) longs.push(Math.round(e.duration))
    })
    obs.observe({ type: 'longtask', buffered: false })
    const loafs = []
    const lobs = new PerformanceObserver((l) => {
      for (const e of l.getEntries()) {
        if (e.duration < 45) continue
        loafs.push(
          `${Math.round(e.duration)}ms[block ${Math.round(e.blockingDuration)} render ${Math.round(e.renderStart ? e.startTime + e.duration - e.renderStart : 0)}]: ` +
            e.scripts
              .map(
                (x) =>
                  `${x.invoker || x.invokerType} ${x.sourceFunctionName || ''}@${(x.sourceURL || '').split('/').pop()}:${x.sourceCharPosition} ${Math.round(x.duration)}ms`,
              )
              .join(', '),
        )
      }
    })
    try {
      lobs.observe({ type: 'long-animation-frame', buffered: false })
    } catch {}
    window.__loafs = loafs
    const deltas = []
    let last = performance.now()
    const end = last + ms
    await new Promise((resolve) => {
      const f = (t) => {
        deltas.push(Math.round(t - last))
        last = t
        if (t < end) requestAnimationFrame(f)
        else resolve()
      }
      requestAnimationFrame(f)
    })
    obs.disconnect()
    deltas.shift()
    const sorted = [...deltas].sort((a, b) => a - b)
    return {
      loafs: window.__loafs,
      frames: deltas.length,
      p95: sorted[Math.floor(0.95 * (sorted.length - 1))],
      late: deltas.filter((d) => d > 42),
      longs,
    }
  }, MS)
  console.log(
    `nodes ${NODES} rate ${RATE} ${QUERY}: frames ${r.frames} p95 ${r.p95} ms; frames > 42 ms: ${r.late.join(' ')}`,
  )
  console.log(`  long tasks (${r.longs.length}): ${r.longs.join(' ')}`)
  for (const l of r.loafs ?? []) console.log(`  LoAF ${l}`)
  if (process.env.TRACE) {
    const done = new Promise((res) => mcdp.once('Tracing.tracingComplete', res))
    await mcdp.send('Tracing.end')
    await done
    // Main-thread tasks of the renderer: wall (dur) vs CPU (tdur), by the top-level event name.
    const main = traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    const byName = new Map()
    for (const e of traceEvents) {
      if (!main || e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || !e.tdur) continue
      if (
        ![
          'FireAnimationFrame',
          'TimerFire',
          'FunctionCall',
          'UpdateLayoutTree',
          'Layout',
          'Paint',
          'EventDispatch',
          'HandlePostMessage',
          'RunMicrotasks',
          'UpdateLayer',
          'PrePaint',
          'Layerize',
          'Commit',
        ].includes(e.name)
      )
        continue
      const k = e.name
      const v = byName.get(k) ?? { n: 0, dur: 0, tdur: 0, maxT: 0 }
      v.n++
      v.dur += e.dur / 1000
      v.tdur += e.tdur / 1000
      v.maxT = Math.max(v.maxT, e.tdur / 1000)
      byName.set(k, v)
    }
    for (const [k, v] of [...byName].sort((a, b) => b[1].tdur - a[1].tdur))
      console.log(
        `  trace ${k}: n ${v.n} · wall ${v.dur.toFixed(0)} ms · cpu ${v.tdur.toFixed(0)} ms · cpu/call ${(v.tdur / v.n).toFixed(2)} · max cpu ${v.maxT.toFixed(1)}`,
      )
  }
  const m1 = await metrics()
  const cpu1 = threadCpuByTid()
  const groups = {}
  for (const [tid, v] of Object.entries(cpu1)) {
    const b = cpu0[tid]
    if (b) groups[v.group] = (groups[v.group] ?? 0) + v.ms - b.ms
  }
  const secs = m1.Timestamp - m0.Timestamp
  console.log(
    `  CPU ms/s by thread group: ${Object.entries(groups)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, ms]) => `${k} ${(ms / secs).toFixed(0)}`)
      .join(' · ')}`,
  )
  const per = (k) => (((m1[k] - m0[k]) * 1000) / (m1.Timestamp - m0.Timestamp)).toFixed(0)
  console.log(
    `  main thread ms/s: task ${per('TaskDuration')} · script ${per('ScriptDuration')} · layout ${per('LayoutDuration')} · style ${per('RecalcStyleDuration')} · thread ${per('ThreadTime')} · layouts ${m1.LayoutCount - m0.LayoutCount} · style recalcs ${m1.RecalcStyleCount - m0.RecalcStyleCount}`,
  )
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop')
    // Inclusive time per function (by name + url line), from the samples' stacks.
    const byId = new Map(profile.nodes.map((n) => [n.id, n]))
    const parent = new Map()
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
    const dt = profile.timeDeltas
    const incl = new Map()
    const self = new Map()
    const name = (n) =>
      `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`
    profile.samples.forEach((id, i) => {
      const ms = (dt[i + 1] ?? 0) / 1000
      const seen = new Set()
      let cur = id
      const leaf = byId.get(id)
      self.set(name(leaf), (self.get(name(leaf)) ?? 0) + ms)
      while (cur !== undefined) {
        const k = name(byId.get(cur))
        if (!seen.has(k)) incl.set(k, (incl.get(k) ?? 0) + ms)
        seen.add(k)
        cur = parent.get(cur)
      }
    })
    const top = (m, n) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => `  ${v.toFixed(0).padStart(6)} ms  ${k}`)
        .join('\n')
    console.log(`self:\n${top(self, 25)}\ninclusive:\n${top(incl, Number(process.env.TOPN ?? 40))}`)
  }
} finally {
  await browser.close()
  server.kill()
}
