import AxeBuilder from '@axe-core/playwright'
import { expect, type Page, test } from '@playwright/test'
import { openPage, shot } from './uiHelpers'

/** WCAG 2.1 A/AA rules (contrast ≥ 4.5:1 among them) on the whole page. */
async function violations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  return result.violations.map((v) => ({
    id: v.id,
    nodes: v.nodes.map(
      (n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(0, 2).join(' ')}`,
    ),
  }))
}

for (const theme of ['light', 'dark'] as const) {
  test(`axe finds no WCAG A/AA violation in the ${theme} theme, with a node down, a partition and a link fault`, async ({
    page,
  }, info) => {
    test.setTimeout(180_000)
    await page.addInitScript((t) => window.localStorage.setItem('distdb-theme', t), theme)
    await openPage(page, { numNodes: 5, replicationFactor: 3 })
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    // Every badge colour on screen: down, suspect (the partitioned side), a cut link with its chip.
    await page.evaluate(async () => {
      const c = window.playground.cluster!
      await c.kill(4)
      await c.partition([['node_0', 'node_1', 'node_2'], ['node_3']])
      await c.setLink('node_0', 'node_1', { cut: true })
    })
    await expect(page.getByTestId('db-node-node_4')).toHaveAttribute('data-status', 'down')
    await expect(page.getByTestId('db-node-node_3')).not.toHaveAttribute('data-status', 'up', {
      timeout: 20_000,
    })
    await page.getByTestId('tab-workload').click()
    await page.waitForTimeout(500)
    const found = await violations(page)
    await shot(page, info, `axe-${theme}`)
    expect(found, JSON.stringify(found, null, 1)).toEqual([])
    // The node menu and the link panel are part of the page too.
    await page.getByRole('button', { name: 'Actions for node_1' }).click()
    await expect(page.getByTestId('node-menu')).toBeVisible()
    const menu = await violations(page)
    await shot(page, info, `axe-${theme}-menu`)
    expect(menu, JSON.stringify(menu, null, 1)).toEqual([])
    await page.keyboard.press('Escape')
    await page.locator('.react-flow__edge[data-id="link:node_0~node_1"]').focus()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('edge-panel')).toBeVisible()
    const panel = await violations(page)
    expect(panel, JSON.stringify(panel, null, 1)).toEqual([])
    await page.keyboard.press('Escape')
    // Every tab of the side panel.
    const found2: Record<string, unknown> = {}
    for (const tab of [
      'ring',
      'cluster',
      'hints',
      'merkle',
      'storage',
      'console',
      'data',
      'transactions',
      'events',
      'messages',
      'verdict',
    ]) {
      await page.getByTestId(`tab-${tab}`).click()
      await page.waitForTimeout(400)
      const v = await violations(page)
      if (v.length) found2[tab] = v
    }
    expect(found2, JSON.stringify(found2, null, 1)).toEqual({})
    // The states this round added: the Merkle exchange view, the storage buttons' results and a
    // compaction's ghost chips, hint arrows and an invalid field.
    await page.getByTestId('tab-merkle').click()
    // node_2's peers in reach answer at once (node_0 → node_1 is cut: its exchanges time out).
    await page.getByTestId('merkle-a').selectOption('node_2')
    await page.getByTestId('merkle-b').selectOption('node_0')
    await page.getByTestId('merkle-sync').click()
    await expect(page.getByTestId('merkle-sync-result')).toBeVisible({ timeout: 20_000 })
    await page.getByTestId('tab-storage').click()
    await page.evaluate(async () => {
      const c = window.playground.cluster!
      for (let i = 0; i < 5; i++) await c.put('node_0', `a11y-${i}`, 'v', { level: 'ONE' })
    })
    await page.getByTestId('storage-flush').click()
    await expect(page.getByTestId('storage-action-result')).toBeVisible()
    await page.getByTestId('storage-compact').click()
    await expect(page.getByTestId('storage-action-result')).toContainText('ompact')
    await page.getByTestId('tab-workload').click()
    await page.getByTestId('wl-readPct').fill('150')
    const added: Record<string, unknown> = {}
    for (const tab of ['workload', 'storage', 'merkle', 'hints']) {
      await page.getByTestId(`tab-${tab}`).click()
      await page.waitForTimeout(300)
      const v = await violations(page)
      if (v.length) added[tab] = v
    }
    await shot(page, info, `axe-${theme}-merkle`)
    expect(added, JSON.stringify(added, null, 1)).toEqual({})
  })
}
