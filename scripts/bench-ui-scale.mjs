// Issue #18 (worker scale) section of bench:ui: CPU, transactions and messages per operation at 500,
// 2k and 5k ops/s offered to 16 worker nodes with the adaptive batching windows on and off
// (batchWindowMsMax at its default vs 0) in the same run, the simulator at the same loads for the CPU ratio, the
// saturation cases (16 @ 5k and 20k offered, 32 @ 5k; with the page's frame guard on, the rates
// above with it off) and the everyday case (5 @ 1k), and the
// light-load latency of one op at a time. Each target of the issue is printed with met / not met.
// BENCH_SCALE_MS=n  measuring window per case (default 5000); BENCH_SCALE_WARMUP_MS=n  run before it (2000)
// SCALE_PROBE=16x3000,16x3000g,5x1000gw  only these cases (nodes x offered ops/s; "g" = frame guard on, "w" =
//   writes only), with the
//   frame-time distribution and the guard's mean ceiling, for tuning the guard
// SCALE_WINDOW_MS=n  the probe's clusters with this batchWindowMsMax (default: the cluster default)
import { threadCpuByTid } from './bench-helpers.mjs'
import { measurePrimitives } from './bench-primitives.mjs'

const MS = Number(process.env.BENCH_SCALE_MS ?? 5000)
/** How long a case runs before it is measured (BENCH_SCALE_WARMUP_MS; the guard settles meanwhile). */
const WARMUP_MS = Number(process.env.BENCH_SCALE_WARMUP_MS ?? 2000)
/**
 * rAF deltas come in whole vsyncs (16.7 ms at 60 Hz) plus a few tenths of timestamp jitter: a run
 * whose frames are at worst 2 vsyncs reads p95 33.3–33.5 ms. The 16.7 ms target of bench-ui.mjs
 * allows the same +1 ms, and so do the 33 and 50 ms targets here (2 and 3 vsyncs).
 */
const JITTER_MS = 1

/**
 * CPU ms spent between two threadCpuByTid snapshots by the threads whose group matches `re`, counting
 * only threads alive at both (summing by group let the workers of the page closed before go negative).
 */
function cpuBetween(before, after, re) {
  let ms = 0
  for (const [tid, v] of Object.entries(after)) {
    const b = before[tid]
    if (b && re.test(v.group)) ms += v.ms - b.ms
  }
  return ms
}

/** Cluster-wide counters the page can read: batching (per node, cumulative) and work messages. */
function counters(page) {
  return page.evaluate(() => {
    const st = window.playground.state()
    let commits = 0
    let writes = 0
    let windowMsMax = 0
    let windowOpenNodes = 0
    for (const s of Object.values(st.snapshots)) {
      const b = s.batching
      if (!b) continue
      commits += b.commits
      writes += b.writes
      windowMsMax = Math.max(windowMsMax, b.windowMsMax)
      if (b.commitWindowMs > 0 || b.sendWindowMs > 0) windowOpenNodes++
    }
    const traffic = window.playground.cluster?.traffic ?? {}
    let messages = 0
    for (const n of Object.values(traffic)) messages += n
    return { commits, writes, messages, windowMsMax, windowOpenNodes }
  })
}

/** One case: a cluster, a workload at `rate` offered, measured over MS. */
async function scaleCase(ctx, { nodes, rate, windowMs, runtime, readFraction = 0.5, frameGuard = true }) {
  const page = await ctx.newPage(runtime === 'sim' ? '?runtime=sim' : '')
  await page.evaluate(
    async ({ nodes, runtime, windowMs }) => {
      await window.playground.createCluster({
        numNodes: nodes,
        replicationFactor: Math.min(3, nodes),
        ...(runtime === 'sim' ? { runtime } : {}),
        ...(windowMs === undefined ? {} : { batchWindowMsMax: windowMs }),
      })
    },
    { nodes, runtime, windowMs },
  )
  await page.getByTestId('tab-workload').click()
  await page.evaluate(
    ({ rate, readFraction, frameGuard }) =>
      window.playground.startWorkload({
        frameGuard,
        ratePerSec: rate,
        concurrencyMax: 1024,
        coordinator: 'token-aware',
        readFraction,
        distribution: 'uniform',
        keyCount: 10_000,
      }),
    { rate, readFraction, frameGuard },
  )
  await page.waitForTimeout(WARMUP_MS)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const metrics = async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]))
  const m0 = await metrics()
  const t0 = threadCpuByTid()
  const c0 = await counters(page)
  await page.evaluate(() => window.playground.workloadLatencies.mark())
  const frames = await ctx.measureFrames(page, MS)
  const run = await page.evaluate(() => window.playground.workloadLatencies.sinceMark())
  const c1 = await counters(page)
  const t1 = threadCpuByTid()
  const m1 = await metrics()
  const secs = m1.Timestamp - m0.Timestamp
  const tail = await page.evaluate(
    (n) => {
      const st = window.playground.state()
      const recent = st.samples.slice(-n)
      const mean = (f) => (recent.length ? recent.reduce((a, s) => a + f(s), 0) / recent.length : 0)
      const notice = document.querySelector('[data-testid="saturation-notice"]')?.textContent ?? null
      return {
        tput: mean((s) => s.opsPerSec),
        p99: Math.max(0, ...recent.map((s) => s.p99Ms)),
        saturated: recent.some((s) => s.saturated),
        notice,
        ceiling: mean((s) => s.frameCeiling ?? 1),
      }
    },
    Math.max(1, Math.floor(MS / 500)),
  )
  await page.evaluate(() => window.playground.stopWorkload())
  await page.close()
  const ops = Math.max(1, tail.tput * secs)
  const workerMs = cpuBetween(t0, t1, /DedicatedWorker/)
  const mainMs = (m1.ThreadTime - m0.ThreadTime) * 1000
  return {
    ...frames,
    ...tail,
    runP50: run?.p50Ms ?? 0,
    runP99: run?.p99Ms ?? 0,
    runOps: run?.ops ?? 0,
    workerCpuPerOpMs: workerMs / ops,
    mainCpuPerOpMs: mainMs / ops,
    txPerWrite: c1.writes > c0.writes ? (c1.commits - c0.commits) / (c1.writes - c0.writes) : 0,
    commitsPerOp: (c1.commits - c0.commits) / ops,
    allCpuPerOpMs: cpuBetween(t0, t1, /./) / ops,
    msgsPerOp: (c1.messages - c0.messages) / ops,
    windowOpenNodes: c1.windowOpenNodes,
    cpuByGroupMsPerOp: cpuByGroup(t0, t1, ops),
  }
}

/** CPU ms per op by thread group (the biggest first), for the probe's print. */
function cpuByGroup(before, after, ops) {
  const g = {}
  for (const [tid, v] of Object.entries(after)) {
    const b = before[tid]
    if (b) g[v.group] = (g[v.group] ?? 0) + (v.ms - b.ms) / ops
  }
  return Object.entries(g)
    .filter(([, ms]) => ms >= 0.005)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([k, ms]) => `${k} ${ms.toFixed(3)}`)
    .join(' · ')
}

/** The browser's primitives on this machine (bench-primitives.mjs), printed first. */
async function primitives(ctx) {
  const page = await ctx.newPage()
  const p = await measurePrimitives(page)
  await page.close()
  const us = (x) => `${Math.round(x.cpuUs)} µs`
  ctx.row(
    'machine: IndexedDB transaction, CPU all threads (1 put / 3 stores)',
    `${us(p.idb1)} / ${us(p.idb3)}`,
    '(info)',
    true,
  )
  ctx.row(
    'machine: worker-to-worker message, CPU all threads (alone / bursts of 32)',
    `${us(p.msgAlone)} / ${us(p.msgBurst)}`,
    '(info)',
    true,
  )
  console.log(
    `machine: IndexedDB transaction ${us(p.idb1)} (1 put) / ${us(p.idb3)} (3 stores); message ${us(p.msgAlone)} alone / ${us(p.msgBurst)} in bursts (CPU, all threads)`,
  )
  return p
}

/** p50/p99 of one op at a time (3 nodes, 300 sequential puts) with the window on or off. */
async function lightLoad(ctx, windowMs) {
  const page = await ctx.newPage()
  const r = await page.evaluate(async (windowMs) => {
    const c = await window.playground.createCluster({
      numNodes: 3,
      ...(windowMs === undefined ? {} : { batchWindowMsMax: windowMs }),
    })
    const lat = []
    for (let i = 0; i < 300; i++) {
      const t = performance.now()
      await c.put(i % 3, `light-${i}`, 'v')
      lat.push(performance.now() - t)
    }
    lat.sort((a, b) => a - b)
    return { p50: lat[150], p99: lat[296] }
  }, windowMs)
  await page.close()
  return r
}

const f1 = (x) => x.toFixed(1)
const f2 = (x) => x.toFixed(2)

/** Runs the section, adding rows through `ctx.row(metric, value, target, ok)`. */
export async function runScale(ctx) {
  const { row } = ctx
  const prim = await primitives(ctx)
  /** The part of an op's CPU (ms, all threads) that is the browser's messages and transactions alone. */
  const floorMs = (r) => (r.msgsPerOp * prim.msgAlone.cpuUs + r.commitsPerOp * prim.idb3.cpuUs) / 1000
  const floorText = (r) =>
    `${f2(floorMs(r))} of ${f2(r.allCpuPerOpMs)} ms all threads (${f2(r.msgsPerOp)} messages, ${f2(r.commitsPerOp)} commits per op)`
  if (process.env.SCALE_PROBE) {
    for (const c of process.env.SCALE_PROBE.split(',')) {
      const m = /^(\d+)x(\d+)(g?)(w?)$/.exec(c)
      if (!m) throw new Error(`SCALE_PROBE: "${c}" is not <nodes>x<rate>[g][w]`)
      const readFraction = m[4] === 'w' ? 0 : 0.5
      const r = await scaleCase(ctx, {
        nodes: +m[1],
        rate: +m[2],
        windowMs: process.env.SCALE_WINDOW_MS === undefined ? undefined : Number(process.env.SCALE_WINDOW_MS),
        frameGuard: m[3] === 'g',
        readFraction,
      })
      console.log(
        `${c}: achieved ${Math.round(r.tput)} · fps ${f1(r.fps)} · p95 ${f1(r.p95)} ms · dropped ${r.dropped}/${r.frames}` +
          ` · ceiling ${f2(r.ceiling)} · worker ${f2(r.workerCpuPerOpMs)} ms/op · main ${f2(r.mainCpuPerOpMs)} ms/op` +
          ` · p99 ${f1(r.runP99)} ms (${r.runOps} ops; worst sample's p99 ${f1(r.p99)})`,
      )
      console.log(`  CPU ms/op by thread: ${r.cpuByGroupMsPerOp}`)
      console.log(`  browser primitives' floor: ${floorText(r)}`)
    }
    return
  }
  const info = (metric, value) => row(metric, value, '(info)', true)
  const byRate = {}
  for (const rate of [500, 2000, 5000]) {
    // The page's frame guard off: CPU, transactions and messages per op at the offered load, as the
    // simulator (no guard) runs it; the frame targets below run with it on.
    const on = await scaleCase(ctx, { nodes: 16, rate, frameGuard: false })
    const off = await scaleCase(ctx, { nodes: 16, rate, windowMs: 0, frameGuard: false })
    const sim = await scaleCase(ctx, { nodes: 16, rate, runtime: 'sim' })
    byRate[rate] = { on, off, sim }
    info(
      `16 nodes @${rate} offered: achieved on / off / sim`,
      `${Math.round(on.tput)} / ${Math.round(off.tput)} / ${Math.round(sim.tput)} ops/s`,
    )
    info(
      '  transactions per write (window on / off)',
      `${f2(on.txPerWrite)} / ${f2(off.txPerWrite)} (nodes with the window open: ${on.windowOpenNodes})`,
    )
    info('  messages per op (window on / off)', `${f2(on.msgsPerOp)} / ${f2(off.msgsPerOp)}`)
    info(
      '  worker CPU per op (on / off) · sim CPU per op',
      `${f2(on.workerCpuPerOpMs)} / ${f2(off.workerCpuPerOpMs)} ms · ${f2(sim.mainCpuPerOpMs)} ms`,
    )
    info('  frame p95 (on / off / sim)', `${f1(on.p95)} / ${f1(off.p95)} / ${f1(sim.p95)} ms`)
    info("  browser primitives' floor per op (window on)", floorText(on))
  }
  const r2k = byRate[2000]
  const ratio = r2k.on.workerCpuPerOpMs / Math.max(1e-6, r2k.sim.mainCpuPerOpMs)
  row('worker ÷ sim CPU per op, 16 nodes @2k', `${f1(ratio)}×`, '≤ 3×', ratio <= 3)
  const m5 = await scaleCase(ctx, { nodes: 16, rate: 5000 })
  info("  16 nodes @5k guarded: browser primitives' floor per op", floorText(m5))
  info('16 nodes @5k, frame guard on: frames', `${f1(m5.fps)} fps · ${m5.notice ?? '(no notice)'}`)
  row('16 nodes @5k: achieved', `${Math.round(m5.tput)} ops/s`, '≥ 3,000 ops/s', m5.tput >= 3000)
  row(
    '16 nodes @5k: frame p95',
    `${f1(m5.p95)} ms`,
    '≤ 33 ms (2 vsyncs, +1 ms jitter)',
    m5.p95 <= 33.3 + JITTER_MS,
  )
  const sat = await scaleCase(ctx, { nodes: 16, rate: 20_000 })
  row(
    '16 nodes @20k offered: frame p95',
    `${f1(sat.p95)} ms`,
    '≤ 50 ms (+1 ms jitter)',
    sat.p95 <= 50 + JITTER_MS,
  )
  info('  achieved · notice', `${Math.round(sat.tput)} ops/s · ${sat.notice ?? '(no notice)'}`)
  const m32 = await scaleCase(ctx, { nodes: 32, rate: 5000 })
  row('32 nodes @5k: fps', f1(m32.fps), '≥ 30 fps', m32.fps >= 30)
  row('32 nodes @5k: achieved', `${Math.round(m32.tput)} ops/s`, '≥ 1,500 ops/s', m32.tput >= 1500)
  const m5n = await scaleCase(ctx, { nodes: 5, rate: 1000, readFraction: 0 })
  row('5 nodes @1k: frame p95', `${f1(m5n.p95)} ms`, '≤ 16.7 ms (+1 ms jitter)', m5n.p95 <= 17.7)
  row(
    '5 nodes @1k: p99 write latency',
    `${f1(m5n.runP99)} ms (${m5n.runOps} writes)`,
    '≤ 50 ms',
    m5n.runP99 <= 50,
  )
  info("  the worst 500 ms sample's p99 (about the run's p99.9)", `${f1(m5n.p99)} ms`)
  const lOn = await lightLoad(ctx, undefined)
  const lOff = await lightLoad(ctx, 0)
  row(
    '1 op at a time, 3 nodes: p50 / p99 (window on vs off)',
    `${f1(lOn.p50)} / ${f1(lOn.p99)} vs ${f1(lOff.p50)} / ${f1(lOff.p99)} ms`,
    'p50 within 1 ms of off',
    lOn.p50 <= lOff.p50 + 1,
  )
}
