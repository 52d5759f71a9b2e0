import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'
import { minCardFontPx, openPage, settleView, shot } from './uiHelpers'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

test('390 px wide: the canvas (≥ half the height) sits over a tabbed sheet; a workload starts and a node is killed', async ({
  page,
}, info) => {
  await openPage(page, { numNodes: 3, replicationFactor: 3 }, '?tour=off') // starts its own workload; canvas height of the old first load
  const canvas = (await page.getByTestId('canvas').boundingBox())!
  expect(canvas.width).toBeGreaterThanOrEqual(370)
  expect(canvas.height).toBeGreaterThanOrEqual(844 / 2)
  for (const id of ['node_0', 'node_1', 'node_2'])
    await expect(page.getByTestId(`db-node-${id}`)).toBeInViewport()
  await expect(page.getByTestId('kill-area')).toBeInViewport({ ratio: 1 })
  // Card text is legible: ≥ 11 px on screen (computed size × the canvas zoom; it was ~9 px).
  await settleView(page)
  const font = await minCardFontPx(page)
  console.log(
    `390 px, 3 nodes: smallest card text ${font.minPx.toFixed(1)} px at zoom ${font.zoom.toFixed(3)}`,
  )
  expect(font.minPx, `smallest card text "${font.sample}"`).toBeGreaterThanOrEqual(11)
  // Nothing is wider than the screen: no sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await shot(page, info, 'mobile-top')
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
    [],
  )
  // The console's Run button is on screen once the sheet is scrolled to.
  const run = page.getByTestId('console-run')
  await run.scrollIntoViewIfNeeded()
  const rb = (await run.boundingBox())!
  expect(rb.x).toBeGreaterThanOrEqual(0)
  expect(rb.x + rb.width).toBeLessThanOrEqual(390)
  // Start a workload from the Workload tab.
  await page.getByTestId('tab-workload').tap()
  await page.getByTestId('wl-start').scrollIntoViewIfNeeded()
  await page.getByTestId('wl-start').tap()
  await expect
    .poll(async () => Number(await page.getByTestId('wl-throughput').textContent()), { timeout: 20_000 })
    .toBeGreaterThan(0)
  await page.screenshot({ path: info.outputPath('mobile-workload.png'), fullPage: true })
  // Kill node_1 from its menu.
  await page.getByRole('button', { name: 'Actions for node_1' }).scrollIntoViewIfNeeded()
  await page.getByRole('button', { name: 'Actions for node_1' }).tap()
  const menu = page.getByTestId('node-menu')
  await expect(menu).toBeInViewport({ ratio: 1 })
  await menu.getByRole('button', { name: 'Kill' }).tap()
  await expect(page.getByTestId('db-node-node_1')).toHaveAttribute('data-status', 'down')
  await shot(page, info, 'mobile-killed')
  await page.getByTestId('wl-stop').scrollIntoViewIfNeeded()
  await page.getByTestId('wl-stop').tap()
})
