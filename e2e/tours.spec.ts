/**
 * Guided tours and the first load: a moving cluster with "Try this" cards, a tour completed by doing
 * its steps (each ticks from what the cluster and the console did), #tour=<id>, leave and resume.
 */
import { expect, type Page, test } from '@playwright/test'
import { openPage, shot } from './pageHelpers'

async function nodeMenu(page: Page, id: string) {
  await page.locator(`[data-testid="db-node-${id}"] .node-menu-btn`).click()
  return page.getByTestId('node-menu')
}

async function consoleOp(
  page: Page,
  o: { op?: string; node: string; level: string; key: string; value?: string },
) {
  await page.getByTestId('tab-console').click()
  await page.getByTestId('console-op').selectOption(o.op ?? 'put')
  await page.getByTestId('console-node').selectOption(o.node)
  await page.getByTestId('console-level').selectOption(o.level)
  await page.getByTestId('console-key').fill(o.key)
  if (o.value !== undefined) await page.getByTestId('console-value').fill(o.value)
  await page.getByTestId('console-run').click()
}

const step = (page: Page, id: string) => page.getByTestId(`tour-step-${id}`)

type Box = { x: number; y: number; width: number; height: number }
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

test('first load: a gentle workload is already running and the "Try this" cards sit above the nodes', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await openPage(page)
  await expect(page.getByTestId('try-cards')).toBeVisible()
  for (const id of [
    'partition-quorums',
    'hints',
    'anti-entropy',
    'clock-skew',
    'conflict-modes',
    'elasticity',
  ])
    await expect(page.getByTestId(`try-${id}`)).toHaveCount(1)
  // Moving: the workload runs and the nodes take keys without the visitor doing anything.
  await expect.poll(() => page.evaluate(() => window.playground.state().workloadRunning)).toBe(true)
  await expect
    .poll(() =>
      page.evaluate(() =>
        Object.values(window.playground.state().snapshots).reduce((n, s) => n + s.keyCount, 0),
      ),
    )
    .toBeGreaterThan(10)
  const strip = (await page.getByTestId('try-cards').boundingBox())!
  for (const card of await page.locator('[data-testid^="db-node-"]').all()) {
    const b = (await card.boundingBox())!
    expect(overlaps(b, strip)).toBe(false)
  }
  // Keyboard: Tab reaches a card and Enter opens its tour.
  await page.getByTestId('try-partition-quorums').focus()
  await expect(page.getByTestId('try-partition-quorums')).toBeFocused()
  await page.waitForTimeout(1500) // pulses and counters on the screenshot
  await shot(page, info, 'first-load-1280')
  await page.setViewportSize({ width: 390, height: 844 })
  await page.waitForTimeout(600)
  const narrow = (await page.getByTestId('try-cards').boundingBox())!
  for (const card of await page.locator('[data-testid^="db-node-"]').all())
    expect(overlaps((await card.boundingBox())!, narrow)).toBe(false)
  await shot(page, info, 'first-load-390')
  // Dismissible, and they come back.
  await page.getByTestId('try-dismiss').click()
  await expect(page.getByTestId('try-cards')).toHaveCount(0)
  await page.getByTestId('show-tours').click()
  await expect(page.getByTestId('try-cards')).toBeVisible()
})

test('?tour=off keeps the old first load: no workload, no cards', async ({ page }) => {
  await openPage(page, '?tour=off')
  await page.waitForTimeout(1000)
  await expect(page.getByTestId('try-cards')).toHaveCount(0)
  await expect(page.getByTestId('show-tours')).toHaveCount(0)
  expect(await page.evaluate(() => window.playground.state().workloadRunning)).toBe(false)
})

test('the partition tour, done step by step: each step ticks from the cluster and the console', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await openPage(page)
  await page.getByTestId('try-partition-quorums').press('Enter')
  await expect(page.getByTestId('tour-panel')).toBeVisible()
  await expect(page).toHaveURL(/#tour=partition-quorums$/)
  await expect(page.getByTestId('tour-count')).toHaveText('step 1 of 5')
  await expect(page.getByTestId('phase')).toContainText('3 nodes')
  // The step points at node_2; the tour does not tick on its own.
  await expect(page.locator('[data-testid="db-node-node_2"][data-tour-target]')).toHaveCount(1)
  await page.waitForTimeout(800)
  await expect(step(page, 'partition')).toHaveAttribute('data-state', 'current')
  await shot(page, info, 'tour-start')

  await (await nodeMenu(page, 'node_2')).getByTestId('move-zone-B').click()
  await expect(step(page, 'partition')).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('tour-saw-partition')).toContainText('node_2 is cut off')

  // A write at ONE does not tick "ALL fails"; only the failed ALL does.
  await consoleOp(page, { node: 'node_0', level: 'ONE', key: 'tour:a', value: 'x' })
  await page.waitForTimeout(600)
  await expect(step(page, 'all-fails')).toHaveAttribute('data-state', 'current')
  await consoleOp(page, { node: 'node_0', level: 'ALL', key: 'tour:a', value: 'x' })
  await expect(step(page, 'all-fails')).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('tour-saw-all-fails')).toContainText('failed with')

  await consoleOp(page, { node: 'node_2', level: 'QUORUM', key: 'tour:b', value: 'y' })
  await expect(step(page, 'isolated-quorum-fails')).toHaveAttribute('data-state', 'done')
  await consoleOp(page, { node: 'node_2', level: 'ONE', key: 'tour:b', value: 'y' })
  await expect(step(page, 'isolated-one-works')).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('tour-saw-isolated-one-works')).toContainText('1 acknowledgement')
  await shot(page, info, 'tour-in-progress')

  await page.getByTestId('heal-all').click()
  await expect(step(page, 'heal')).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('tour-saw-heal')).toContainText(/Healed after \d+\.\d s/)
  await expect(page.getByTestId('tour-summary')).toContainText('What you just saw')
  await expect(page.getByTestId('tour-count')).toHaveText('done')
  await shot(page, info, 'tour-done')
})

test('the hints tour narrates with live figures: who held how many hints, how fast they drained', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await openPage(page, '#tour=hints')
  await expect(page.getByTestId('tour-panel')).toHaveAttribute('data-tour', 'hints')
  await expect(page.getByTestId('tour-count')).toHaveText('step 1 of 4')
  await (await nodeMenu(page, 'node_1')).getByRole('button', { name: 'Kill' }).click()
  await expect(step(page, 'kill')).toHaveAttribute('data-state', 'done')
  await expect(step(page, 'hints-pile')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await expect(page.getByTestId('tour-saw-hints-pile')).toContainText(/node_\d holds \d+ hints for node_1/)
  await (await nodeMenu(page, 'node_1')).getByRole('button', { name: 'Restart' }).click()
  await expect(step(page, 'restart')).toHaveAttribute('data-state', 'done')
  await expect(step(page, 'drain')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await expect(page.getByTestId('tour-saw-drain')).toContainText(
    /hints for node_1 .*they drained in \d+\.\d s/,
  )
  await shot(page, info, 'hints-tour-done')
  await page.setViewportSize({ width: 390, height: 844 })
  await page.waitForTimeout(600)
  await shot(page, info, 'hints-tour-done-390')
})

test('#tour=<id> opens that tour; leave it, reload, and resume where it was', async ({ page }) => {
  await openPage(page, '#tour=elasticity')
  await expect(page.getByTestId('tour-panel')).toHaveAttribute('data-tour', 'elasticity')
  await page.getByTestId('tab-cluster').click()
  await expect(step(page, 'cluster-tab')).toHaveAttribute('data-state', 'done')
  await page.getByTestId('tour-leave').click()
  await expect(page.getByTestId('tour-panel')).toHaveCount(0)
  await expect(page).not.toHaveURL(/#tour=/)
  await expect(page.getByTestId('try-elasticity')).toContainText('Resume · 1/4')
  // The progress is in localStorage: it survives a reload.
  await page.reload()
  await page.waitForFunction(() => window.playground?.ready === true)
  await expect(page.getByTestId('try-elasticity')).toContainText('Resume · 1/4')
  await page.getByTestId('try-elasticity').click()
  await expect(page.getByTestId('tour-count')).toHaveText('step 2 of 4')
  await expect(step(page, 'cluster-tab')).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('tour-saw-cluster-tab')).toBeVisible()
  // An open tour is reopened on reload too.
  await page.reload()
  await page.waitForFunction(() => window.playground?.ready === true)
  await expect(page.getByTestId('tour-panel')).toHaveAttribute('data-tour', 'elasticity')
  await expect(page.getByTestId('tour-count')).toHaveText('step 2 of 4')
})

test('a setup-drawer scenario sets its stage, then its tour opens with the steps it already did ticked', async ({
  page,
}) => {
  await openPage(page)
  await page.getByTestId('open-setup').click()
  await page.getByTestId('preset-partition').click()
  await expect(page.getByTestId('tour-panel')).toHaveAttribute('data-tour', 'partition-quorums')
  // The preset moved node_2 into zone B: the tour sees the partition and ticks it.
  await expect(step(page, 'partition')).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('tour-saw-partition')).toContainText('node_2 is cut off')
  await expect(step(page, 'all-fails')).toHaveAttribute('data-state', 'current')
})

test('the anti-entropy tour in the page: the backlog grows across the partition and drains after the heal', async ({
  page,
}) => {
  test.setTimeout(120_000)
  await openPage(page, '#tour=anti-entropy')
  await expect(page.getByTestId('tour-panel')).toHaveAttribute('data-tour', 'anti-entropy')
  await expect(page.getByTestId('phase')).toContainText('3 nodes')
  await (await nodeMenu(page, 'node_2')).getByTestId('move-zone-B').click()
  await expect(step(page, 'partition')).toHaveAttribute('data-state', 'done')
  await expect(step(page, 'diverge')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await expect(page.getByTestId('tour-saw-diverge')).toContainText(/\d+ ops wait for a peer/)
  await page.getByTestId('heal-all').click()
  await expect(step(page, 'heal')).toHaveAttribute('data-state', 'done')
  await expect(step(page, 'converge')).toHaveAttribute('data-state', 'done', { timeout: 45_000 })
  await expect(page.getByTestId('tour-saw-converge')).toContainText(/Converged \d+\.\d s after the heal/)
})

test('the elasticity tour in the page: add a node from the Cluster tab and see its rows move', async ({
  page,
}, info) => {
  test.setTimeout(120_000)
  await openPage(page, '#tour=elasticity')
  await expect(page.getByTestId('tour-panel')).toHaveAttribute('data-tour', 'elasticity')
  // The gentle workload writes some keys first (ELASTIC_WAIT_MS=60000 measures a minute's worth).
  await page.waitForTimeout(Number(process.env.ELASTIC_WAIT_MS ?? 2000))
  await page.getByTestId('tab-cluster').click()
  await expect(step(page, 'cluster-tab')).toHaveAttribute('data-state', 'done')
  await expect(page.locator('[data-testid="cluster-add-node"][data-tour-target]')).toHaveCount(1)
  await page.getByTestId('cluster-add-node').click()
  await expect(step(page, 'add')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await expect(page.getByTestId('tour-saw-add')).toContainText('node_5 joined')
  await expect(step(page, 'moved')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await expect(page.getByTestId('tour-saw-moved')).toContainText(/\d+ rows streamed to their new replicas/)
  await page.getByTestId('tab-ring').click()
  await expect(page.getByTestId('tour-saw-ring-tab')).toContainText(/Ring version \d+: node_5 holds \d+ rows/)
  await expect(page.getByTestId('tour-summary')).toContainText('Adding node_5')
  await shot(page, info, 'elasticity-done')
  // How long the move took grows with the rows the gentle workload wrote: measured, and bounded.
  await expect
    .poll(() => page.evaluate(async () => (await window.playground.cluster!.inspect()).recentMoves.length))
    .toBeGreaterThan(0)
  const move = await page.evaluate(async () => (await window.playground.cluster!.inspect()).recentMoves[0])
  const tookMs = (move.publishedAtMs ?? 0) - move.startedAtMs
  console.log(`elasticity tour move: ${move.keysTotal} rows, ${move.bytesTotal} B, ${tookMs} ms`)
  expect(tookMs).toBeLessThan(15_000)
})

test('first load, nothing done: flushes and a compaction within ~30 s; a later workload keeps the panel’s settings', async ({
  page,
}, info) => {
  test.setTimeout(120_000)
  await openPage(page)
  await expect.poll(() => page.evaluate(() => window.playground.state().workloadRunning)).toBe(true)
  const started = Date.now()
  await page.getByTestId('tab-storage').click()
  await expect(page.getByTestId('sst-chip').first()).toBeVisible({ timeout: 30_000 })
  const flushS = (Date.now() - started) / 1000
  // Any node's compaction: the Storage tab shows one node; ask the cluster for all of them.
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const c = window.playground.cluster!
          let n = 0
          for (const node of c.nodes)
            n += ((await c.inspect(node.id)).storage as { compactions: unknown[] }).compactions.length
          return n
        }),
      { timeout: 60_000, intervals: [1000] },
    )
    .toBeGreaterThan(0)
  const compactS = (Date.now() - started) / 1000
  const opsPerSec = await page.evaluate(() => {
    const s = window.playground.state().samples
    return s.reduce((n, x) => n + x.opsPerSec, 0) / Math.max(1, s.length)
  })
  // The worker generators admit less than 20 ops/s when their timers run late (a loaded machine).
  console.log(
    `first load: first SSTable shown after ${flushS.toFixed(1)} s, a compaction by ${compactS.toFixed(1)} s, at ${opsPerSec.toFixed(1)} ops/s`,
  )
  await shot(page, info, 'first-load-storage')
  // The gentle settings stand in for the panel's only while the gentle workload runs: stopping it
  // brings the panel's back, and a workload started over it starts from the panel's.
  expect(await page.evaluate(() => window.playground.state().workloadConfig.keyCount)).toBe(4000)
  await page.getByTestId('tab-workload').click()
  await page.getByTestId('wl-stop').click()
  await expect.poll(() => page.evaluate(() => window.playground.state().workloadConfig.keyCount)).toBe(200)
  await page.reload()
  await page.waitForFunction(() => window.playground?.ready === true)
  await expect.poll(() => page.evaluate(() => window.playground.state().workloadRunning)).toBe(true)
  expect(await page.evaluate(() => window.playground.state().workloadConfig.keyCount)).toBe(4000)
  await page.evaluate(() => window.playground.startWorkload({ ratePerSec: 50 }))
  expect(await page.evaluate(() => window.playground.state().workloadConfig)).toMatchObject({
    ratePerSec: 50,
    keyCount: 200,
    valueBytes: 64,
  })
  await page.evaluate(() => window.playground.stopWorkload())
})

test('a tour is a scenario document: copied as a #s= link it opens as that tour elsewhere, and ticks from API calls too', async ({
  page,
  browser,
}, info) => {
  await openPage(page, '#tour=partition-quorums')
  await expect(page.getByTestId('tour-panel')).toHaveAttribute('data-tour', 'partition-quorums')
  await page.getByTestId('tour-share').click()
  const url = await page.getByTestId('tour-link').inputValue()
  expect(url).toMatch(/#s=[A-Za-z0-9_-]+$/)
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const other = await fresh.newPage()
  await other.goto(url)
  await other.waitForFunction(() => window.playground?.ready === true)
  await expect(other.getByTestId('tour-panel')).toHaveAttribute('data-tour', 'partition-quorums')
  await expect(other.getByTestId('tour-count')).toHaveText('step 1 of 5')
  await expect(other.getByTestId('phase')).toContainText('3 nodes')
  await expect(other).toHaveURL(/#s=/)
  // Steps tick from the recorded actions, whoever makes them: here window.playground, not the console.
  await other.evaluate(() => window.playground.cluster!.partition([['node_0', 'node_1'], ['node_2']]))
  await expect(step(other, 'partition')).toHaveAttribute('data-state', 'done')
  await other.evaluate(() =>
    window.playground.cluster!.put('node_0', 'api:a', 'x', { level: 'ALL' }).catch(() => {}),
  )
  await expect(step(other, 'all-fails')).toHaveAttribute('data-state', 'done')
  await expect(other.getByTestId('tour-saw-all-fails')).toContainText(
    'The put at ALL through node_0 failed with',
  )
  await shot(other, info, 'tour-from-link')
  await fresh.close()
})
