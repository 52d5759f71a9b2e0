import { expect, test } from '@playwright/test'
import { openPage as open, shot } from './pageHelpers'

test('Faults in effect: one chip per rule with its age; undo removes exactly that rule', async ({
  page,
}, info) => {
  await open(page)
  await expect(page.getByTestId('faults-none')).toBeVisible()
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    c.partition([['node_1']])
    c.setLink('node_2', 'node_3', { cut: true })
    c.setLink('node_3', 'node_4', { latencyMs: 150, jitterMs: 20 })
    c.setLink('node_4', 'node_0', { lossRate: 0.25 })
    c.setClockSkew('node_0', 400)
    await c.pause('node_3')
    await c.kill('node_4')
  })
  const chips = page.getByTestId('fault-chip')
  await expect(chips).toHaveCount(7)
  const strip = page.getByTestId('faults-strip')
  for (const text of [
    'node_1 isolated from 4 peers',
    'node_2 → node_3 cut',
    'node_3 → node_4 +150±20 ms',
    'node_4 → node_0 loss 25%',
    'node_0 clock +400 ms',
    'node_3 paused',
    'node_4 killed',
  ])
    await expect(strip).toContainText(text)
  await expect(chips.first()).toContainText(/\d+ s/)
  await page.waitForTimeout(1500)
  await shot(page, info, 'faults-strip')
  // Undo the one-way cut: only that chip goes, and the cluster's rule is gone.
  await chips.filter({ hasText: 'node_2 → node_3 cut' }).getByTestId('fault-undo').click()
  await expect(chips).toHaveCount(6)
  expect(
    await page.evaluate(() => window.playground.cluster?.faults().links['node_2>node_3']?.cut),
  ).toBeFalsy()
  await chips.filter({ hasText: 'node_4 killed' }).getByTestId('fault-undo').click()
  await expect(page.getByTestId('db-node-node_4')).not.toHaveAttribute('data-status', 'down', {
    timeout: 20_000,
  })
  await chips.filter({ hasText: 'isolated' }).getByTestId('fault-undo').click()
  await expect(chips).toHaveCount(4)
  expect(await page.evaluate(() => window.playground.cluster?.faults().groups.length)).toBe(0)
})

test('charts: legend, y from 0, the x-axis clock named, and a fault window shaded', async ({
  page,
}, info) => {
  await open(page)
  await page.getByTestId('tab-workload').click()
  await page.evaluate(() => window.playground.startWorkload({ ratePerSec: 100 }))
  await page.waitForTimeout(2500)
  await page.evaluate(() => window.playground.cluster?.kill('node_2'))
  await page.waitForTimeout(3000)
  await page.evaluate(() => window.playground.cluster?.restart('node_2'))
  await page.waitForTimeout(2500)
  await page.evaluate(() => window.playground.stopWorkload())
  await expect(page.getByTestId('chart-latency-legend')).toContainText('p50 latency')
  await expect(page.getByTestId('chart-latency-legend')).toContainText('p99 latency')
  await expect(page.getByTestId('chart-throughput-legend')).toContainText('fault in effect (1)')
  await expect(page.getByTestId('chart-throughput')).toHaveAttribute('data-bands', '1')
  await expect(page.getByText('x: seconds since the workload started (page clock)').first()).toBeVisible()
  // uPlot's y scale starts at 0 on every chart (axes are painted on the canvas: the chart reports its range).
  for (const id of ['chart-throughput', 'chart-latency', 'chart-backlog'])
    await expect(page.getByTestId(id)).toHaveAttribute('data-ymin', '0')
  await shot(page, info, 'chart-fault-band')
})

test('events show relative cluster time in their own column', async ({ page }, info) => {
  await open(page, '?tour=off') // measures the first row: no workload's hint events pushing new rows on top
  await page.evaluate(() => window.playground.cluster?.kill('node_1'))
  await page.getByTestId('tab-events').click()
  const first = page.locator('.event-list li').first()
  await expect(first.locator('.t')).toHaveText(/^\d{1,3}\.\d{3} s$/)
  // Both boxes from one row in one go: the kill's later events (hints) push new rows on top.
  const apart = await first.evaluate((li) => {
    const t = li.querySelector('.t')?.getBoundingClientRect()
    const type = li.querySelector('.ev-type')?.getBoundingClientRect()
    return !!t && !!type && t.x + t.width <= type.x
  })
  expect(apart).toBe(true)
  await shot(page, info, 'events-relative-time')
})

test('simulator: a virtual clock in the header; Step shows the event it ran', async ({ page }, info) => {
  // Idle: the first load's workload runs on virtual time, so a step could run one of its ticks.
  await open(page, '?runtime=sim&tour=off')
  await expect(page.getByTestId('sim-clock')).toHaveText(/virtual t = \d+\.\d{3} s/)
  const t1 = await page.getByTestId('sim-clock').textContent()
  await page.waitForTimeout(600)
  expect(await page.getByTestId('sim-clock').textContent()).not.toBe(t1)
  await page.evaluate(() => window.playground.cluster?.put('node_0', 'k', 'v'))
  await page.getByTestId('time-toggle').click()
  let line = ''
  for (let i = 0; i < 200 && !/deliver/.test(line); i++) {
    await page.getByTestId('time-step').click()
    await expect(page.getByTestId('step-line')).toBeVisible()
    line = (await page.getByTestId('step-line').textContent()) ?? ''
    if (i === 0) expect(line).toMatch(/^Step ran: t = \d+\.\d{3} s (timer on|deliver) /)
    if (i === 5) await page.evaluate(() => void window.playground.cluster?.put('node_1', 'k2', 'v'))
  }
  expect(line).toMatch(/deliver \S+ node_\d → node_\d/)
  // One event per step, and the link its message crossed is highlighted on the canvas, sender → receiver.
  expect(line).not.toContain('more at this instant')
  const [, msg, from, to] = /deliver (\S+) (node_\d) → (node_\d)/.exec(line) ?? []
  const edge = page.getByTestId('step-edge')
  await expect(edge).toHaveCount(1)
  await expect(edge).toHaveAttribute('data-from', from)
  await expect(edge).toHaveAttribute('data-to', to)
  await expect(page.locator('.edge-chip.step')).toHaveText(`step: ${msg} ${from}→${to}`)
  await shot(page, info, 'sim-step')
  // Running again clears the highlight.
  await page.getByTestId('time-toggle').click()
  await expect(edge).toHaveCount(0)
})
