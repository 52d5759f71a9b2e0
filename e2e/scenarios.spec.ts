/**
 * The scenario engine in the page: a simulator run recorded as the user acts, "Copy link" opened in
 * a fresh browser context replays it to the same trace hash (and again after a reload), the timeline
 * scrubber goes back and forth, and hostile fragments leave a coded notice and the default cluster.
 */
import { expect, type Page, test } from '@playwright/test'
import { openPage, shot } from './pageHelpers'

async function traceHash(page: Page): Promise<string> {
  const h = page.getByTestId('trace-hash')
  await expect(h).toHaveAttribute('data-hash', /^[0-9a-f]{64}$/)
  return (await h.getAttribute('data-hash')) ?? ''
}

/** Waits until the replayed run is shown (paused at its end) and returns its hash. */
async function replayedHash(page: Page): Promise<string> {
  await page.waitForFunction(() => window.playground?.ready === true)
  await expect(page.getByTestId('scenario-bar')).toContainText('Replay (from link)')
  return traceHash(page)
}

test('copy a link, open it in a fresh context and after a reload: the same run, the same trace hash', async ({
  page,
  browser,
}, info) => {
  await openPage(page, '?runtime=sim')
  await expect(page.getByTestId('scenario-bar')).toContainText('Recording')
  // Act as a user would, through the page's own paths (menus call the same Cluster API).
  await page.evaluate(async () => {
    const pg = window.playground
    pg.startWorkload({ ratePerSec: 100 })
    const c = pg.cluster!
    await new Promise((r) => setTimeout(r, 600))
    await c.kill(1)
    await c.put(0, 'greeting', 'hello').catch(() => {})
    await new Promise((r) => setTimeout(r, 600))
    c.partition([
      [0, 2],
      [3, 4],
    ])
    await new Promise((r) => setTimeout(r, 600))
    c.heal()
    await c.restart(1)
    await new Promise((r) => setTimeout(r, 600))
  })
  await expect(page.getByTestId('scenario-steps')).toContainText(/\d+ steps/)
  await page.getByTestId('copy-link').click()
  const link = page.getByTestId('scenario-link')
  await expect(link).toBeVisible()
  const url = await link.inputValue()
  const linkHash = (await link.getAttribute('data-hash')) ?? ''
  expect(url).toMatch(/#s=[A-Za-z0-9_-]+$/)
  expect(linkHash).toMatch(/^[0-9a-f]{64}$/)
  const doc = await page.evaluate(() => window.playground.scenario.doc())
  expect(doc?.steps.map((s) => s.action)).toEqual(
    expect.arrayContaining(['startWorkload', 'kill', 'put', 'partition', 'heal', 'restart']),
  )
  await shot(page, info, 'scenario-recorded')

  const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const other = await fresh.newPage()
  await other.goto(url)
  const replayed = await replayedHash(other)
  expect(replayed, 'a fresh context replays the link to the same trace hash').toBe(linkHash)
  await expect(other.getByTestId('time-toggle')).toHaveText(/Resume/)
  await shot(other, info, 'scenario-replayed-fresh-context')
  await other.reload()
  expect(await replayedHash(other), 'after a reload').toBe(linkHash)
  await fresh.close()
})

test('the timeline scrubber goes back to the middle and forward again; acting there branches', async ({
  page,
}, info) => {
  await openPage(page, '?runtime=sim')
  await page.evaluate(async () => {
    const pg = window.playground
    pg.cluster!.time.setSpeed(10)
    pg.startWorkload({ ratePerSec: 100 })
    // Virtual time, not real time: a loaded machine runs the simulator slower than 10×.
    const until = async (ms: number) => {
      while (pg.cluster!.time.nowMs < ms) await new Promise((r) => setTimeout(r, 50))
    }
    await until(5_000)
    await pg.cluster!.kill(2)
    await until(12_000)
  })
  // Pause, so the timeline's end is the moment the link was copied.
  await page.getByTestId('time-toggle').click()
  await page.getByTestId('copy-link').click()
  const endHash = (await page.getByTestId('scenario-link').getAttribute('data-hash')) ?? ''
  const endMs = (await page.evaluate(() => window.playground.scenario.doc()))?.durationMs ?? 0
  await expect(page.getByTestId('timeline-scrubber')).toHaveAttribute('max', String(Math.round(endMs)))
  expect(endMs).toBeGreaterThan(10_000)
  // Back to the middle: a replay from t = 0 to there, shown paused.
  const mid = Math.round(endMs / 2 / 100) * 100
  await page.getByTestId('timeline-scrubber').fill(String(mid))
  await expect(page.getByTestId('branch-here')).toBeVisible()
  await expect(page.getByTestId('scenario-busy')).toHaveCount(0)
  await expect(page.getByTestId('timeline-at')).toHaveAttribute('data-at-ms', String(mid))
  const midHash = await traceHash(page)
  expect(midHash).not.toBe(endHash)
  const seekMs = Number((await page.getByTestId('seek-ms').textContent())?.match(/\d+/)?.[0])
  info.annotations.push({ type: 'scrub to middle (ms)', description: String(seekMs) })
  await shot(page, info, 'scenario-scrubbed-to-middle')
  // Forward to the end: the recorded run's hash again.
  await page.getByTestId('timeline-scrubber').fill(String(Math.round(endMs)))
  await expect(page.getByTestId('branch-here')).toHaveCount(0)
  await expect.poll(() => traceHash(page)).toBe(endHash)
  // Back once more, to the same hash as the first time.
  await page.getByTestId('timeline-scrubber').fill(String(mid))
  await expect(page.getByTestId('branch-here')).toBeVisible()
  await expect(page.getByTestId('scenario-busy')).toHaveCount(0)
  await expect.poll(() => traceHash(page)).toBe(midHash)
  // Acting here branches: the steps after the middle are dropped and the new action is recorded.
  const before = (await page.evaluate(() => window.playground.scenario.doc()))?.steps.length ?? 0
  await page.evaluate(() => window.playground.cluster!.setClockSkew(0, 400))
  await expect(page.getByTestId('branch-here')).toHaveCount(0)
  const branch = await page.evaluate(() => window.playground.scenario.doc())
  expect(branch?.steps.at(-1)?.action).toBe('setClockSkew')
  expect(branch?.steps.length).toBeLessThanOrEqual(before + 1)
  await shot(page, info, 'scenario-branched')
})

test('time travel from checkpoints: a scrub replays from the nearest checkpoint and keeps the trace hash exact', async ({
  page,
}, info) => {
  await openPage(page, '?runtime=sim&tour=off')
  await page.evaluate(async () => {
    const pg = window.playground
    pg.cluster!.time.setSpeed(10)
    pg.startWorkload({ ratePerSec: 200 })
    const until = async (ms: number) => {
      while (pg.cluster!.time.nowMs < ms) await new Promise((r) => setTimeout(r, 50))
    }
    await until(4_000)
    await pg.cluster!.kill(3)
    await until(14_000)
  })
  await page.getByTestId('time-toggle').click()
  await page.getByTestId('copy-link').click()
  const endHash = (await page.getByTestId('scenario-link').getAttribute('data-hash')) ?? ''
  const endMs = (await page.evaluate(() => window.playground.scenario.doc()))?.durationMs ?? 0
  // The checkpoint at 10 s is rolled in the background while the run goes on (or just after).
  await expect
    .poll(() => page.evaluate(() => window.playground.scenario.checkpoints()), { timeout: 30_000 })
    .toContain(10_000)
  const at = 11_000
  await page.getByTestId('timeline-scrubber').fill(String(at))
  await expect(page.getByTestId('branch-here')).toBeVisible()
  await expect(page.getByTestId('scenario-busy')).toHaveCount(0)
  await expect(page.getByTestId('timeline-at')).toHaveAttribute('data-at-ms', String(at))
  await expect(page.getByTestId('seek-ms')).toHaveAttribute('data-from-ms', '10000')
  const seekMs = Number((await page.getByTestId('seek-ms').textContent())?.match(/\d+/)?.[0])
  info.annotations.push({ type: 'scrub to 11 s from the 10 s checkpoint (ms)', description: String(seekMs) })
  await shot(page, info, 'scenario-scrubbed-from-checkpoint')
  const atHash = await traceHash(page)
  expect(atHash).not.toBe(endHash)
  // Forward to the end from the end's own checkpoint (rolled once the scrubber froze the timeline):
  // the recorded run's hash, and the 11 s run is kept as a spare.
  await expect
    .poll(() => page.evaluate(() => window.playground.scenario.checkpoints()), { timeout: 30_000 })
    .toContain(endMs)
  await page.getByTestId('timeline-scrubber').fill(String(Math.round(endMs)))
  await expect(page.getByTestId('branch-here')).toHaveCount(0)
  await expect(page.getByTestId('scenario-busy')).toHaveCount(0)
  await expect(page.getByTestId('seek-ms')).toHaveAttribute('data-from-ms', String(endMs))
  await expect.poll(() => traceHash(page)).toBe(endHash)
  // Back to 11 s again: the spare left there (nothing replayed), the same hash as the first time.
  await page.getByTestId('timeline-scrubber').fill(String(at))
  await expect(page.getByTestId('branch-here')).toBeVisible()
  await expect(page.getByTestId('scenario-busy')).toHaveCount(0)
  await expect(page.getByTestId('seek-ms')).toHaveAttribute('data-from-ms', String(at))
  await expect.poll(() => traceHash(page)).toBe(atHash)
  // Forward again: the spare the last move left at the end, the end's hash.
  await page.getByTestId('timeline-scrubber').fill(String(Math.round(endMs)))
  await expect(page.getByTestId('branch-here')).toHaveCount(0)
  await expect(page.getByTestId('scenario-busy')).toHaveCount(0)
  await expect(page.getByTestId('seek-ms')).toHaveAttribute('data-from-ms', String(endMs))
  await expect.poll(() => traceHash(page)).toBe(endHash)
  // The clock and the faults strip refresh on their own intervals (100 and 500 ms).
  await expect(page.getByTestId('sim-clock')).not.toHaveText('virtual t = 11.000 s')
  await page.waitForTimeout(600)
  await shot(page, info, 'scenario-back-and-forth-from-checkpoints')
})

const HOSTILE: Array<[string, string, RegExp]> = [
  ['not base64', '#s=%%%not-base64!!', /SCENARIO_NOT_BASE64/],
  ['not a scenario', '#s=AAAA', /SCENARIO_(CORRUPT|NOT_JSON)/],
  ['100k steps', '', /SCENARIO_TOO_LARGE/],
  ['W > N', '', /SCENARIO_BAD_OPTIONS/],
  ['unknown action', '', /SCENARIO_UNKNOWN_ACTION/],
]

test('hostile fragments: a coded notice, the default cluster, a working page, nothing stored touched', async ({
  page,
}, info) => {
  await openPage(page, '?runtime=sim')
  // Build the packed hostile documents in the page (the same CompressionStream the page reads with).
  const made = await page.evaluate(async () => {
    const pack = async (doc: unknown) => {
      const bytes = new TextEncoder().encode(JSON.stringify(doc))
      const packed = new Uint8Array(
        await new Response(
          new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw')),
        ).arrayBuffer(),
      )
      let bin = ''
      for (const b of packed) bin += String.fromCharCode(b)
      return `#s=${btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`
    }
    const base = {
      version: 1,
      seed: 1,
      runtime: 'sim',
      options: { numNodes: 3 },
      workload: null,
      durationMs: 1000,
    }
    return [
      await pack({
        ...base,
        steps: Array.from({ length: 100_000 }, () => ({ at: 0, action: 'heal', args: [] })),
      }),
      await pack({ ...base, options: { numNodes: 3, replicationFactor: 3, writeQuorum: 5 }, steps: [] }),
      await pack({ ...base, steps: [{ at: 0, action: 'constructor', args: [] }] }),
    ]
  })
  HOSTILE[2][1] = made[0]
  HOSTILE[3][1] = made[1]
  HOSTILE[4][1] = made[2]
  const dbsBefore = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort())
  for (const [what, fragment, code] of HOSTILE) {
    await page.goto('about:blank') // a real load each time, not a same-document fragment change
    await page.goto(`./?runtime=sim${fragment}`)
    await page.waitForFunction(() => window.playground?.ready === true)
    await expect(page.getByTestId('phase'), what).toContainText('5 nodes')
    await expect(page.getByText(code).first(), what).toBeVisible()
    await expect(page.getByTestId('scenario-bar'), what).toContainText('Recording')
    if (what === '100k steps') await shot(page, info, 'scenario-hostile-fragment')
  }
  // The page still works: a write and a read on the default cluster.
  const got = await page.evaluate(async () => {
    const c = window.playground.cluster!
    await c.put(0, 'still', 'works')
    return c.get(1, 'still')
  })
  expect(got).toBe('works')
  const dbsAfter = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort())
  expect(dbsAfter).toEqual(dbsBefore)
})

test('a worker replay names the first step where it parted from a simulator replay of the same document', async ({
  page,
}, info) => {
  await openPage(page, '?tour=off')
  const base = {
    version: 1,
    seed: 9,
    runtime: 'worker',
    options: { numNodes: 3, replicationFactor: 3 },
    durationMs: 4000,
  }
  // No workload: a put, then reads of it: real workers and the simulator agree on every step.
  const calm = {
    ...base,
    workload: null,
    steps: [
      { at: 200, action: 'put', args: [0, 'fixed', 'v'] },
      { at: 1200, action: 'get', args: [1, 'fixed'] },
      { at: 1300, action: 'get', args: [2, 'absent'] },
    ],
  }
  expect(await page.evaluate((d) => window.playground.scenario.play(d), calm)).toEqual({ ok: true })
  const note = page.getByTestId('scenario-divergence')
  await expect(note).toHaveAttribute('data-state', 'same', { timeout: 20_000 })
  await expect(note).toContainText('Same outcome as a simulator replay at every one of the 3 steps')
  // A workload writing 5 keys at 100 ops/s: what a read returns depends on real timing.
  const busy = {
    ...base,
    workload: {
      ratePerSec: 100,
      readFraction: 0,
      distribution: 'uniform',
      keyCount: 5,
      valueBytes: 16,
      concurrencyMax: 8,
      seed: 3,
    },
    steps: [
      { at: 200, action: 'put', args: [0, 'fixed', 'v'] },
      ...[0, 1, 2, 3, 4].map((i) => ({ at: 1500 + i * 300, action: 'get', args: [i % 3, `k0000${i}`] })),
    ],
  }
  expect(await page.evaluate((d) => window.playground.scenario.play(d), busy)).toEqual({ ok: true })
  await expect(note).toHaveAttribute('data-state', 'diverged', { timeout: 20_000 })
  await expect(note).toContainText(
    /Diverged from a simulator replay at step [2-6] of 6 \(get at \d\.\d s\): the simulator read/,
  )
  expect(Number(await note.getAttribute('data-step'))).toBeGreaterThanOrEqual(2)
  await expect(page.getByTestId('scenario-note')).toContainText('Not bit-exact')
  await shot(page, info, 'scenario-worker-divergence')
})
