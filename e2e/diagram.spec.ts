/** The Messages tab: the Lamport space-time diagram in both runtimes, its filter, fault bands and the anomaly highlight. */
import { expect, type Page, test } from '@playwright/test'
import { openPage, shot } from './pageHelpers'

const canvas = (page: Page) => page.getByTestId('diagram-canvas')
const count = async (page: Page, name: 'arrows' | 'bands' | 'highlighted') =>
  Number((await canvas(page).getAttribute(`data-${name}`)) ?? 0)

test('worker runtime: arrows appear under a workload and the diagram says it samples', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await openPage(page)
  await page.getByTestId('tab-messages').click()
  await page.evaluate(() => window.playground.startWorkload({ ratePerSec: 200 }))
  await expect.poll(() => count(page, 'arrows'), { timeout: 20_000 }).toBeGreaterThan(10)
  const runtime = await page.evaluate(() => window.playground.cluster?.runtime)
  // The worker runtime samples within its event budget and says so; the simulator shows every message.
  await expect(page.getByTestId('diagram-sampling')).toContainText(
    runtime === 'worker' ? /showing 1 in \d+ messages/ : /every message/,
  )
  await expect(page.getByTestId('diagram-list').locator('li').first()).toContainText(/Lamport \d+/)
  await shot(page, info, `diagram-${runtime}-1280`)
  await page.evaluate(() => window.playground.stopWorkload())
})

test('simulator: every message, a key filter, a kill band and a selected anomaly highlighted', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await openPage(page, '?runtime=sim')
  await page.getByTestId('tab-messages').click()
  await page.evaluate(() => window.playground.startWorkload({ ratePerSec: 200 }))
  await expect.poll(() => count(page, 'arrows'), { timeout: 15_000 }).toBeGreaterThan(50)
  await expect(page.getByTestId('diagram-sampling')).toContainText('every message')

  // Hover an arrow: its kind, from → to and Lamport timestamp.
  const box = (await canvas(page).boundingBox())!
  const hit = await page.evaluate(() => {
    const c = document.querySelector('[data-testid="diagram-canvas"]') as HTMLCanvasElement
    return { w: c.clientWidth, h: c.clientHeight }
  })
  let tipped = false
  for (let x = hit.w - 20; x > 80 && !tipped; x -= 3) {
    await page.mouse.move(box.x + x, box.y + 48)
    tipped = await page.getByTestId('diagram-tip').isVisible()
  }
  expect(tipped).toBe(true)
  await expect(page.getByTestId('diagram-tip')).toContainText(/→ node_\d/)

  // Filter by a key one of the latest messages carries: every listed message carries it.
  // The busiest key of the latest messages (the workload's keys are Zipfian), so arrows stay in view.
  const key = await page.evaluate(() => {
    const n = new Map<string, number>()
    for (const li of document.querySelectorAll('[data-testid="diagram-list"] li'))
      for (const k of (li.getAttribute('data-keys') ?? '').split(' ')) if (k) n.set(k, (n.get(k) ?? 0) + 1)
    return [...n.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ''
  })
  expect(key).not.toBe('')
  const before = await count(page, 'arrows')
  await page.getByTestId('diagram-key').fill(key)
  await expect.poll(() => count(page, 'arrows')).toBeLessThan(before)
  expect(await count(page, 'arrows')).toBeGreaterThan(0)
  const rows = await page
    .getByTestId('diagram-list')
    .locator('li')
    .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-keys') ?? ''))
  expect(rows.length).toBeGreaterThan(0)
  for (const r of rows) expect(r.split(' ')).toContain(key)
  await shot(page, info, 'diagram-sim-key-filter')
  await page.getByTestId('diagram-key').fill('')

  // A kill shows a band on the killed node's lane.
  await page.evaluate(() => window.playground.cluster?.kill('node_3'))
  await expect.poll(() => count(page, 'bands'), { timeout: 5000 }).toBeGreaterThan(0)
  await page.waitForTimeout(800)
  await shot(page, info, 'diagram-sim-kill-band')

  // A selected anomaly (the live checker's) highlights the messages of its ops.
  const op = await page.evaluate(() => {
    for (const li of document.querySelectorAll('[data-testid="diagram-list"] li')) {
      const ops = li.getAttribute('data-ops')
      if (ops) return ops.split(' ')[0]
    }
    return null
  })
  expect(op).not.toBeNull()
  await page.evaluate(
    (id) =>
      window.playground.state().setSelectedAnomaly({ nodes: ['node_0'], links: [], opIds: [id as string] }),
    op,
  )
  await expect(page.getByTestId('diagram-anomaly')).toContainText(op as string)
  await page.getByRole('button', { name: 'Show them' }).click()
  await expect.poll(() => count(page, 'highlighted')).toBeGreaterThan(0)
  await expect(page.getByTestId('diagram-follow')).toContainText('Follow live')
  await shot(page, info, 'diagram-sim-anomaly')
  // Clearing the anomaly clears the highlight.
  await page.evaluate(() => window.playground.state().setSelectedAnomaly(null))
  await expect.poll(() => count(page, 'highlighted')).toBe(0)
  await page.evaluate(() => window.playground.stopWorkload())
})

test('simulator: scrubbing the timeline back shows the messages up to that moment', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await openPage(page, '?runtime=sim&tour=off')
  await page.getByTestId('tab-messages').click()
  await page.evaluate(async () => {
    const pg = window.playground
    pg.startWorkload({ ratePerSec: 200 })
    while (pg.cluster!.time.nowMs < 4000) await new Promise((r) => setTimeout(r, 50))
  })
  await page.getByTestId('time-toggle').click()
  const endMs = (await page.evaluate(() => window.playground.scenario.doc()))?.durationMs ?? 0
  expect(endMs).toBeGreaterThan(3500)
  const mid = Math.round(endMs / 2 / 100) * 100
  await page.getByTestId('timeline-scrubber').fill(String(mid))
  await expect(page.getByTestId('branch-here')).toBeVisible()
  await expect(page.getByTestId('scenario-busy')).toHaveCount(0)
  // The replay sits at the scrubber's moment; the diagram ends there and still has the run's past.
  expect(Math.abs((await page.evaluate(() => window.playground.cluster!.time.nowMs)) - mid)).toBeLessThan(1)
  await expect.poll(async () => Number(await canvas(page).getAttribute('data-end-ms'))).toBe(mid)
  await expect.poll(() => count(page, 'arrows')).toBeGreaterThan(50)
  const recv = await page
    .getByTestId('diagram-list')
    .locator('li[data-recv-ms]')
    .evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-recv-ms'))))
  expect(recv.length).toBeGreaterThan(0)
  for (const t of recv) expect(t).toBeLessThanOrEqual(mid + 1)
  // The newest listed message is close to the moment (the workload ran up to it).
  expect(Math.max(...recv)).toBeGreaterThan(mid - 200)
  await shot(page, info, 'diagram-sim-scrubbed-back')
  // Forward again: the replay runs on, and the diagram follows the cursor.
  const later = Math.round((endMs * 3) / 4 / 100) * 100
  await page.getByTestId('timeline-scrubber').fill(String(later))
  await expect(page.getByTestId('scenario-busy')).toHaveCount(0)
  await expect.poll(async () => Number(await canvas(page).getAttribute('data-end-ms'))).toBe(later)
  await expect.poll(() => count(page, 'arrows')).toBeGreaterThan(50)
})

test('390 px: the diagram fits the sheet', async ({ page }, info) => {
  await page.setViewportSize({ width: 390, height: 844 })
  await openPage(page, '?runtime=sim')
  await page.getByTestId('tab-messages').click()
  await page.evaluate(() => window.playground.startWorkload({ ratePerSec: 50 }))
  await expect.poll(() => count(page, 'arrows'), { timeout: 15_000 }).toBeGreaterThan(5)
  const b = (await canvas(page).boundingBox())!
  expect(b.x).toBeGreaterThanOrEqual(0)
  expect(b.x + b.width).toBeLessThanOrEqual(390)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await canvas(page).scrollIntoViewIfNeeded()
  await shot(page, info, 'diagram-390')
  await page.evaluate(() => window.playground.stopWorkload())
})
