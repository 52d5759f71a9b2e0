import { expect, test } from '@playwright/test'
import {
  type Box,
  canvasBoxes,
  centreOf,
  dragNodeTo,
  minCardFontPx,
  openPage,
  overlaps,
  settleView,
  shot,
} from './uiHelpers'

// These checks measure the canvas of the old first load: without the "Try this" band over it.
const IDLE = '?tour=off'

const inside = (b: Box, c: Box) =>
  b.x >= c.x - 1 &&
  b.y >= c.y - 1 &&
  b.x + b.width <= c.x + c.width + 1 &&
  b.y + b.height <= c.y + c.height + 1

for (const n of [3, 5, 16, 32]) {
  test(`${n} nodes: card text ≥ 11 px at the default fit, every card in view, the view fitted to them`, async ({
    page,
  }, info) => {
    // 16 and 32 nodes in the simulator, to stay light on CPU.
    await openPage(
      page,
      n > 5 ? { runtime: 'sim', numNodes: n, replicationFactor: 3 } : { numNodes: n, replicationFactor: 3 },
      IDLE,
    )
    await expect(page.locator('[data-testid^="db-node-"]')).toHaveCount(n)
    // The refit after the cluster swap animates: wait until it has settled (every card in view, the
    // zoom steady).
    await expect
      .poll(
        async () => {
          const z0 = (await minCardFontPx(page)).zoom
          await page.waitForTimeout(250)
          const { cards, canvas } = await canvasBoxes(page)
          return cards.every((c) => inside(c, canvas)) && (await minCardFontPx(page)).zoom === z0
        },
        { timeout: 10_000 },
      )
      .toBe(true)
    const font = await minCardFontPx(page)
    console.log(`${n} nodes: smallest card text ${font.minPx.toFixed(1)} px at zoom ${font.zoom.toFixed(3)}`)
    expect(font.minPx, `smallest card text "${font.sample}" at zoom ${font.zoom}`).toBeGreaterThanOrEqual(11)
    const { cards, canvas } = await canvasBoxes(page)
    for (const c of cards) expect(inside(c, canvas)).toBe(true)
    // Fitted: the cards span at least half the canvas in one direction.
    const left = Math.min(...cards.map((c) => c.x))
    const right = Math.max(...cards.map((c) => c.x + c.width))
    const top = Math.min(...cards.map((c) => c.y))
    const bottom = Math.max(...cards.map((c) => c.y + c.height))
    expect(Math.max((right - left) / canvas.width, (bottom - top) / canvas.height)).toBeGreaterThan(0.5)
    // The kill area is fully visible and no card hides under it.
    const kill = await page.getByTestId('kill-area').boundingBox()
    expect(kill && inside(kill, canvas)).toBe(true)
    expect(kill!.height).toBeGreaterThanOrEqual(48)
    for (const c of cards) expect(overlaps(c, kill!)).toBe(false)
    await shot(page, info, `legible-${n}-nodes`)
  })
}

test('edge labels: opaque chips clear of cards and of each other; a one-way cut draws an arrowhead', async ({
  page,
}, info) => {
  await openPage(page, { numNodes: 5, replicationFactor: 3 }, IDLE)
  await page.evaluate(() => {
    const c = window.playground.cluster!
    c.setLink('node_0', 'node_1', { cut: true })
    c.setLink('node_3', 'node_2', { latencyMs: 150, jitterMs: 20 })
    c.setLink('node_4', 'node_2', { lossRate: 0.3 })
  })
  await page.getByTestId('tab-workload').click()
  await page.getByTestId('wl-ratePerSec').fill('100')
  await page.getByTestId('wl-start').click()
  await expect(page.locator('.edge-chip')).not.toHaveCount(0, { timeout: 15_000 })
  await expect(page.locator('.edge-chip', { hasText: 'node_0→node_1 cut' })).toBeVisible()
  await page.waitForTimeout(2500)
  const { cards, chips } = await canvasBoxes(page)
  expect(chips.length).toBeGreaterThanOrEqual(3)
  for (const ch of chips)
    for (const c of cards) expect(overlaps(ch, c, 2), 'a chip overlaps a card').toBe(false)
  for (let i = 0; i < chips.length; i++)
    for (let j = i + 1; j < chips.length; j++)
      expect(overlaps(chips[i], chips[j], 2), 'two chips overlap').toBe(false)
  const bg = await page
    .locator('.edge-chip')
    .first()
    .evaluate((e) => getComputedStyle(e).backgroundColor)
  expect(bg).toMatch(/^rgb\(/) // opaque: rgb(), not rgba() with alpha
  const path = page.locator('[data-testid="rf__edge-link:node_0~node_1"] path.link-edge')
  await expect(path).toHaveAttribute('marker-end', /link-arrow-fault/)
  expect(await path.getAttribute('marker-start')).toBeNull()
  await expect(page.locator('[data-testid="rf__edge-link:node_2~node_3"] path.link-edge')).toHaveAttribute(
    'marker-start',
    /link-arrow-fault-start/,
  )
  await shot(page, info, 'edge-chips')
  await page.getByTestId('wl-stop').click()
})

test('drag feedback: the hovered zone or kill area highlights with a caption; a drop outside explains itself', async ({
  page,
}, info) => {
  await openPage(page, { numNodes: 3, replicationFactor: 3 }, IDLE)
  await settleView(page)
  const b = await centreOf(page, 'zone-B')
  await dragNodeTo(page, 'node_1', b.x, b.y)
  await expect(page.getByTestId('zone-B')).toHaveClass(/drop-target/)
  await expect(page.getByTestId('zone-B-caption')).toHaveText('release to partition node_1 from 2 peers')
  await expect(page.getByTestId('drag-caption')).toHaveText('release to partition node_1 from 2 peers')
  await shot(page, info, 'drag-over-zone-B')
  const k = await centreOf(page, 'kill-area')
  await page.mouse.move(k.x, k.y, { steps: 8 })
  await expect(page.getByTestId('kill-area')).toHaveClass(/drop-target/)
  await expect(page.getByTestId('kill-area')).toContainText('release to kill node_1')
  await expect(page.getByTestId('zone-B')).not.toHaveClass(/drop-target/)
  await shot(page, info, 'drag-over-kill')
  // Below the zones, left of the kill strip: outside every zone.
  const canvas = (await page.getByTestId('canvas').boundingBox())!
  await page.mouse.move(canvas.x + 60, canvas.y + canvas.height - 30, { steps: 8 })
  await expect(page.getByTestId('drag-caption')).toHaveText(
    'outside every zone — release to leave node_1 in zone A',
  )
  await shot(page, info, 'drag-outside')
  await page.mouse.up()
  await expect(page.getByTestId('drop-notice')).toContainText(
    'node_1 was dropped outside every zone, so it stays in zone A',
  )
  await expect(page.getByTestId('zone-A')).toContainText('3 nodes')
  await shot(page, info, 'drop-outside-notice')
  // A real drop on B partitions; a drop on the kill area kills.
  await dragNodeTo(page, 'node_1', b.x, b.y)
  await page.mouse.up()
  await expect(page.getByTestId('zone-B')).toContainText('1 node')
  await settleView(page) // the view refits to the new zones
  const k2 = await centreOf(page, 'kill-area')
  await dragNodeTo(page, 'node_2', k2.x, k2.y)
  await page.mouse.up()
  await expect(page.getByTestId('db-node-node_2')).toHaveAttribute('data-status', 'down')
})

test('the node menu opens next to its node', async ({ page }, info) => {
  await openPage(page, { numNodes: 5, replicationFactor: 3 }, IDLE)
  for (const id of ['node_1', 'node_4']) {
    await page.getByRole('button', { name: `Actions for ${id}` }).click()
    const menu = (await page.getByTestId('node-menu').boundingBox())!
    const card = (await page.getByTestId(`db-node-${id}`).boundingBox())!
    const beside = menu.x >= card.x + card.width - 1 || menu.x + menu.width <= card.x + 1
    const gapX = Math.max(menu.x - (card.x + card.width), card.x - (menu.x + menu.width))
    expect(beside, 'menu beside the card').toBe(true)
    expect(gapX).toBeLessThan(40)
    expect(menu.y < card.y + card.height && card.y < menu.y + menu.height, 'menu level with the card').toBe(
      true,
    )
    await shot(page, info, `menu-${id}`)
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('node-menu')).toHaveCount(0)
  }
})

test('the view stays where the visitor panned it while updates and a link fault arrive', async ({ page }) => {
  await openPage(page, { numNodes: 3, replicationFactor: 3 }, IDLE)
  await page.waitForTimeout(800)
  const transform = () =>
    page.evaluate(() => getComputedStyle(document.querySelector('.react-flow__viewport')!).transform)
  const fitted = await transform()
  const pane = (await page.locator('.react-flow__pane').boundingBox())!
  await page.mouse.move(pane.x + 30, pane.y + pane.height / 2)
  await page.mouse.down()
  await page.mouse.move(pane.x + 130, pane.y + pane.height / 2 + 40, { steps: 6 })
  await page.mouse.up()
  const panned = await transform()
  expect(panned).not.toBe(fitted)
  await page.evaluate(() => window.playground.cluster!.setLink('node_0', 'node_1', { latencyMs: 50 }))
  await page.waitForTimeout(1500)
  expect(await transform()).toBe(panned)
})
