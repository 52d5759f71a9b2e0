// Time-travel section of bench:ui (issue #16): a 60 s, 5-node simulator run at the page's default
// 200 ops/s with a kill, partition, heal, restart and clock skew, recorded in the page, then the
// scrubber moved back to its middle, forward to the end and back again over several rounds. Each
// move is timed in the page (`seek`, the same call the scrubber makes) against the < 1 s target.
// BENCH_TRAVEL_ROUNDS=n   back-and-forth rounds (default 4)
// BENCH_TRAVEL_RATE=n     workload ops/s (default 200)
// BENCH_PROFILE=dir       also writes a main-thread CPU profile of the first scrub back from t = 0

const ROUNDS = Number(process.env.BENCH_TRAVEL_ROUNDS ?? 4)
const RATE = Number(process.env.BENCH_TRAVEL_RATE ?? 200)
const TARGET_MS = 1000

/** Records the run in the page: virtual time at 5×, the faults at fixed virtual instants. */
async function record(page) {
  return page.evaluate(async (rate) => {
    const pg = window.playground
    const c = pg.cluster
    c.time.setSpeed(5)
    pg.startWorkload({ ratePerSec: rate })
    const until = async (ms) => {
      while (c.time.nowMs < ms) await new Promise((r) => setTimeout(r, 20))
    }
    const t0 = pg.cluster.time.nowMs
    const at = async (s, fn) => {
      await until(t0 + s * 1000)
      fn()
    }
    await at(10, () => void c.kill(2).catch(() => {}))
    await at(20, () =>
      c.partition([
        [0, 1],
        [2, 3, 4],
      ]),
    )
    await at(30, () => c.heal())
    await at(35, () => void c.restart(2).catch(() => {}))
    await at(45, () => c.setClockSkew(1, 500))
    await until(t0 + 60_000)
    c.time.pause()
    const doc = await pg.scenario.doc()
    const work = doc.steps.find((s) => s.action === 'startWorkload')?.args[0]
    return { endMs: doc.durationMs, steps: doc.steps.length, hash: pg.scenario.hash(), work }
  }, RATE)
}

/**
 * Waits (at most `ms`) until a checkpoint is ready at every multiple of 10 s before `endMs`, as after
 * a person has watched the run; returns the real ms waited.
 */
function waitCheckpoints(page, endMs, ms) {
  return page.evaluate(
    async ([endMs, ms]) => {
      const t0 = performance.now()
      const want = []
      for (let t = 10_000; t < endMs; t += 10_000) want.push(t)
      while (performance.now() - t0 < ms) {
        const have = new Set(window.playground.scenario.checkpoints())
        if (want.every((t) => have.has(t))) break
        await new Promise((r) => setTimeout(r, 100))
      }
      return performance.now() - t0
    },
    [endMs, ms],
  )
}

/** One move along the timeline, timed in the page; returns the ms and the trace hash there. */
function seek(page, tMs) {
  return page.evaluate(async (t) => {
    const pg = window.playground
    const t0 = performance.now()
    await pg.scenario.seek(t)
    const ms = performance.now() - t0
    const fromMs = pg.state().scenario.lastSeekFromMs
    return { ms, hash: pg.scenario.hash(), fromMs, ready: pg.scenario.checkpoints() }
  }, tMs)
}

/** Runs the section; `row(metric, value, target, ok)` adds a line to the bench table. */
export async function runTravel({ newPage, row, profileDir, topSelf, writeFileSync }) {
  const page = await newPage('?runtime=sim&tour=off')
  const rec = await record(page)
  const mid = Math.round(rec.endMs / 2)
  // Baseline in the same page: checkpoints off, so a scrub back re-executes from t = 0 (as before them).
  await page.evaluate(() => window.playground.scenario.useCheckpoints(false))
  const base = []
  for (let i = 0; i < 2; i++) {
    const cdp = i === 0 && profileDir ? await page.context().newCDPSession(page) : null
    if (cdp) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    base.push((await seek(page, mid)).ms)
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop')
      writeFileSync(`${profileDir}/travel-scrub-back-from-0.cpuprofile`, JSON.stringify(profile))
      const t = topSelf(profile, 20)
      console.log(`scrub back from t = 0: ${t.total.toFixed(0)} ms sampled\n${t.top.join('\n')}`)
    }
    await seek(page, rec.endMs)
  }
  row(
    '  baseline: back to the middle from t = 0 (ms)',
    base.map((x) => Math.round(x)).join(', '),
    '(info)',
    true,
  )
  await page.evaluate(() => window.playground.scenario.useCheckpoints(true))
  const waitedMs = await waitCheckpoints(page, rec.endMs, 30_000)
  const ready0 = await page.evaluate(() => window.playground.scenario.checkpoints())
  row(
    '  checkpoints ready after the run (s) / waited',
    `${ready0.map((t) => (t / 1000).toFixed(0)).join(', ')} / ${Math.round(waitedMs)} ms`,
    '(info)',
    true,
  )
  row(
    `time travel: recorded run [sim, 5 nodes @${RATE} ops/s]`,
    `${(rec.endMs / 1000).toFixed(1)} s virtual, ${rec.steps} steps, workload ${rec.work?.ratePerSec} ops/s × ${rec.work?.valueBytes} B over ${rec.work?.keyCount} keys`,
    '(info)',
    true,
  )
  const back = []
  const fwd = []
  const froms = []
  const fwdFroms = []
  let midHash = null
  let exact = true
  for (let i = 0; i < ROUNDS; i++) {
    const ready = await page.evaluate(() => window.playground.scenario.checkpoints())
    const b = await seek(page, mid)
    if (process.env.VERBOSE)
      console.log(`round ${i}: ready ${ready} → back from ${b.fromMs} in ${b.ms.toFixed(0)} ms`)
    back.push(b.ms)
    froms.push(b.fromMs)
    if (midHash === null) midHash = b.hash
    else if (b.hash !== midHash) exact = false
    // A person's pace between moves: the pool rolls a replacement for what the move took.
    await page.waitForTimeout(1000)
    const f = await seek(page, rec.endMs)
    if (process.env.VERBOSE) console.log(`round ${i}: forward from ${f.fromMs} in ${f.ms.toFixed(0)} ms`)
    fwd.push(f.ms)
    fwdFroms.push(f.fromMs)
    await page.waitForTimeout(1000)
    if (f.hash !== rec.hash) exact = false
  }
  // Moments not visited before (no spare there): each replays from the nearest checkpoint before it.
  const others = []
  const otherFroms = []
  for (const f of [0.19, 0.77, 0.41, 0.93, 0.07, 0.58, 0.29]) {
    const m = await seek(page, Math.round(rec.endMs * f))
    others.push(m.ms)
    otherFroms.push(m.fromMs)
    if (process.env.VERBOSE)
      console.log(`to ${Math.round(rec.endMs * f)} from ${m.fromMs} in ${m.ms.toFixed(0)} ms`)
    await page.waitForTimeout(1000)
  }
  const fmt = (xs) => xs.map((x) => Math.round(x)).join(', ')
  const secs = (xs) => xs.map((x) => (x / 1000).toFixed(1)).join(', ')
  row(
    '  scrubs replayed from (s, each round: back; forward)',
    `${secs(froms)}; ${secs(fwdFroms)}`,
    '(info)',
    true,
  )
  const worst = Math.max(...back)
  row('  scrub back to the middle (ms, each round)', fmt(back), `< ${TARGET_MS} ms`, worst < TARGET_MS)
  row('  forward to the end (ms, each round)', fmt(fwd), `< ${TARGET_MS} ms`, Math.max(...fwd) < TARGET_MS)
  row(
    '  to 7 other moments (ms; replayed from s)',
    `${fmt(others)}; ${secs(otherFroms)}`,
    `< ${TARGET_MS} ms`,
    Math.max(...others) < TARGET_MS,
  )
  row('  trace hash exact (middle, end) every round', exact ? 'yes' : 'NO', 'same hashes', exact)
  console.log(
    `time travel target (< ${TARGET_MS} ms back to the middle, every round): ${worst < TARGET_MS ? 'met' : 'not met'} (worst ${Math.round(worst)} ms)`,
  )
  await page.close()
}
