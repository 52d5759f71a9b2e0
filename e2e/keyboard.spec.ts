import { expect, type Page, test } from '@playwright/test'
import { openPage, shot } from './uiHelpers'

/** Presses Tab until the focused element matches `selector` (at most `max` presses). */
async function tabTo(page: Page, selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`Tab never reached ${selector}`)
}

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return el?.getAttribute('data-id') ?? el?.getAttribute('aria-label') ?? el?.textContent ?? ''
  })

test('keyboard only: partition node_1 into zone B from its menu, Escape returns focus, then kill it', async ({
  page,
}, info) => {
  await openPage(page, { numNodes: 3, replicationFactor: 3 })
  await tabTo(page, '[aria-label="Actions for node_1"]')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('node-menu')).toBeVisible()
  // Escape closes the menu and gives focus back to the ⋮ button it came from.
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('node-menu')).toHaveCount(0)
  expect(await focused(page)).toBe('Actions for node_1')
  await page.keyboard.press('Enter')
  await tabTo(page, '[aria-label="Move to zone B"]', 12)
  await shot(page, info, 'keyboard-menu')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('zone-B')).toContainText('1 node')
  await expect
    .poll(() => page.evaluate(() => window.playground.cluster!.faults().groups?.length ?? 0))
    .toBeGreaterThan(1)
  expect(await focused(page)).toBe('Actions for node_1')
  await shot(page, info, 'keyboard-partitioned')
  // Kill is the menu's first control.
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('node-menu')).toBeVisible()
  expect(await focused(page)).toBe('Kill')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('db-node-node_1')).toHaveAttribute('data-status', 'down')
  await shot(page, info, 'keyboard-killed')
})

test('keyboard only: Enter on a focused node opens its menu; Enter on a focused link opens its panel and cuts it', async ({
  page,
}, info) => {
  await openPage(page, { numNodes: 3, replicationFactor: 3 })
  // The description read for a node matches what the keys do (no arrow-key moving).
  const desc = await page.evaluate(() => {
    const n = document.querySelector('.react-flow__node-db')!
    const ids = n.getAttribute('aria-describedby')
    return ids ? (document.getElementById(ids)?.textContent ?? '') : ''
  })
  expect(desc).toContain('Press Enter or Space to open this node’s actions')
  expect(desc).not.toMatch(/arrow/i)
  await tabTo(page, '.react-flow__node-db[data-id="node_2"]')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('node-menu')).toHaveAttribute('aria-label', 'Actions for node_2')
  await page.keyboard.press('Escape')
  await tabTo(page, '.react-flow__edge[data-id="link:node_0~node_1"]')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('edge-panel')).toBeVisible()
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('edge-cut')
  await page.keyboard.press('Space')
  await tabTo(page, '.edge-panel button[type="submit"]', 10)
  await page.keyboard.press('Enter')
  await expect
    .poll(() =>
      page.evaluate(() => window.playground.cluster!.faults().links?.['node_0>node_1']?.cut ?? false),
    )
    .toBe(true)
  await expect(page.locator('.edge-chip', { hasText: 'node_0→node_1 cut' })).toBeVisible()
  await shot(page, info, 'keyboard-link-cut')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('edge-panel')).toHaveCount(0)
  expect(await focused(page)).toBe('link:node_0~node_1')
})
