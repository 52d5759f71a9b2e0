/**
 * Issue #17, the verdict on screen, in real Chromium with real workers: a node dragged into another
 * zone at R=W=1, a stale read in the console, the anomaly listed with its cause and marked on the
 * canvas; the A/B preset's two verdicts; a failing-commit disk fault's refused writes counted.
 */
import { expect, type Page, test } from '@playwright/test'
import { centreOf, dragNodeTo, openPage, settleView, shot } from './uiHelpers'

async function consoleRun(page: Page, op: 'put' | 'get', node: string, key: string, value?: string) {
  await page.getByTestId('tab-console').click()
  await page.getByTestId('console-op').selectOption(op)
  await page.getByTestId('console-node').selectOption(node)
  await page.getByTestId('console-key').fill(key)
  if (value !== undefined) await page.getByTestId('console-value').fill(value)
  const before = await page.getByTestId('console-result').count()
  await page.getByTestId('console-run').click()
  await expect(page.getByTestId('console-result')).toHaveCount(before + 1)
  return page.getByTestId('console-result').first()
}

test('R=W=1, a node dragged into another zone: a stale read is listed with its cause and marked on the canvas', async ({
  page,
}, info) => {
  await openPage(page, {
    runtime: 'worker',
    numNodes: 5,
    replicationFactor: 3,
    writeQuorum: 1,
    readQuorum: 1,
    sloppyQuorum: false,
    persist: false,
    dbPrefix: `verdict-${Date.now()}`,
  })
  await expect(page.getByTestId('verdict-chip')).toContainText('no anomalies')
  // A key node_0 owns, and another owner of it to read from.
  const { key, other } = await page.evaluate(async () => {
    const c = window.playground.cluster!
    for (let i = 0; i < 50; i++) {
      const k = `user:${i}`
      const replies = (await c.read(0, k, { level: 'ALL' })).replies.map((x) => x.node as string)
      if (replies.includes('node_0')) return { key: k, other: replies.find((n) => n !== 'node_0')! }
    }
    throw new Error('no key owned by node_0')
  })
  await consoleRun(page, 'put', 'node_0', key, 'before')
  await page.evaluate(() => window.playground.cluster!.settle())
  await settleView(page)
  const b = await centreOf(page, 'zone-B')
  await dragNodeTo(page, 'node_0', b.x, b.y)
  await page.mouse.up()
  await expect(page.getByTestId('zone-B')).toContainText('1 node')
  await consoleRun(page, 'put', 'node_0', key, 'after')
  const read = await consoleRun(page, 'get', other, key)
  await expect(read).toContainText('value: before')

  await expect(page.getByTestId('verdict-chip')).toHaveAttribute('data-anomalies', /[1-9]/, {
    timeout: 10_000,
  })
  await page.getByTestId('verdict-chip').click()
  const item = page.locator('[data-testid="anomaly"][data-kind="stale-read"]').first()
  await expect(item).toContainText("returned 'before'")
  await expect(item.getByTestId('anomaly-causes')).toContainText('R + W ≤ N (1 + 1 ≤ 3)')
  await expect(item.getByTestId('anomaly-causes')).toContainText('read at ONE during a partition')
  await item.locator('.anomaly-head').click()
  await expect(item.getByTestId('anomaly-ops')).toContainText('newer write')
  await expect(page.locator('.react-flow__node[data-id="node_0"]')).toHaveClass(/anomaly-hl/)
  await expect(page.locator(`.react-flow__node[data-id="${other}"]`)).toHaveClass(/anomaly-hl/)
  // The link the newer write never crossed (node_0 → the replica read) is marked too.
  await expect(page.locator('.react-flow__edge.anomaly-hl-link')).toHaveCount(1)
  const sel = await page.evaluate(() => window.playground.state().selectedAnomaly)
  expect(sel?.nodes).toContain('node_0')
  expect(sel?.opIds.length).toBeGreaterThan(0)
  // The stale read itself is part of it: its messages are highlighted in the diagram too.
  expect(sel?.reads).toEqual([expect.objectContaining({ node: other, key })])
  await shot(page, info, 'verdict-stale-read')
  // (A read at ONE by an owner is local: it sends no message; the next test reads over the wire.)
  await page.getByTestId('tab-messages').click()
  await expect(page.getByTestId('diagram-anomaly')).toContainText(`1 read (${key} via ${other})`)
})

test('simulator: a stale read through a non-owner coordinator, its read messages highlighted in the diagram', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await openPage(page, {
    runtime: 'sim',
    numNodes: 5,
    replicationFactor: 3,
    writeQuorum: 1,
    readQuorum: 1,
    sloppyQuorum: false,
    antiEntropyIntervalMs: 0,
  })
  const { key, via } = await page.evaluate(async () => {
    const c = window.playground.cluster!
    const k = 'user:7'
    const owners = (await c.read(0, k, { level: 'ALL' })).replies.map((x) => x.node as string)
    const o0 = owners[0]
    const via = c.nodes.map((n) => n.id as string).find((id) => !owners.includes(id))!
    await c.put(o0, k, 'before')
    await c.settle()
    c.partition([[o0], c.nodes.map((n) => n.id as string).filter((id) => id !== o0)])
    await c.put(o0, k, 'after')
    const r = await c.read(via, k)
    return { key: k, via, value: r.value }
  })
  const chip = page.getByTestId('verdict-chip')
  await expect(chip).toHaveAttribute('data-anomalies', /[1-9]/, { timeout: 10_000 })
  await chip.click()
  const item = page.locator('[data-testid="anomaly"][data-kind="stale-read"]').first()
  await expect(item).toContainText("returned 'before'")
  await item.locator('.anomaly-head').click()
  await page.getByTestId('tab-messages').click()
  await expect(page.getByTestId('diagram-anomaly')).toContainText(`1 read (${key} via ${via})`)
  await page.getByRole('button', { name: 'Show them' }).click()
  await expect
    .poll(() => page.getByTestId('diagram-canvas').getAttribute('data-highlighted').then(Number))
    .toBeGreaterThan(0)
  // The read's own messages (read-req from the coordinator, read-resp back) are among the hot ones.
  await expect
    .poll(() => page.getByTestId('diagram-canvas').getAttribute('data-highlighted-reads').then(Number))
    .toBeGreaterThan(0)
  await shot(page, info, 'verdict-stale-read-diagram')
})

test('worker runtime, first load: the gentle workload running on the nodes is checked (the chip counts its ops)', async ({
  page,
}, info) => {
  await openPage(page)
  expect(await page.evaluate(() => window.playground.cluster?.runtime)).toBe('worker')
  const chip = page.getByTestId('verdict-chip')
  // 20 ops/s on the nodes: after a few seconds the checker has their invokes and completions.
  await expect
    .poll(async () => Number((await chip.getAttribute('data-ops')) ?? 0), { timeout: 20_000 })
    .toBeGreaterThan(40)
  await expect(chip).toContainText(/[\d,]+ checked/)
  await expect(chip).not.toContainText('sampled')
  await chip.click()
  await expect(page.getByTestId('verdict-feed')).toContainText('runs on the nodes')
  await expect(page.getByTestId('verdict-counts')).toContainText(/[1-9]\d* ok/)
  await shot(page, info, 'verdict-worker-workload')
  // A fast workload is sampled by key, and the chip says so.
  await page.evaluate(() => window.playground.startWorkload({ ratePerSec: 1000 }))
  await expect(chip).toContainText('1 in 3 keys', { timeout: 15_000 })
  await expect(chip).toHaveAttribute('title', /sampled 1 in 3 keys/)
  await shot(page, info, 'verdict-worker-sampled')
  await page.evaluate(() => window.playground.stopWorkload())
})

test('the A/B preset runs both configurations in the simulator and shows two verdicts', async ({
  page,
}, info) => {
  await openPage(page)
  await page.getByTestId('tab-verdict').click()
  await page.getByTestId('ab-open').click()
  await expect(page.getByTestId('ab-preset')).toHaveValue('0')
  await page.getByTestId('ab-run').click()
  // It runs in a Web Worker, off the page's thread, and says how far it is.
  const progress = page.getByTestId('ab-progress')
  await expect(progress).toHaveAttribute('data-where', 'worker')
  await expect(progress).toContainText(/(A|B) \(R=W=\d \(N=3\)\): (\d+ of \d+ ops|final check)/)
  await shot(page, info, 'verdict-ab-progress')
  const sides = page.getByTestId('ab-side')
  await expect(sides).toHaveCount(2, { timeout: 60_000 })
  await expect(sides.nth(0).getByTestId('ab-verdict')).toContainText(/[1-9]\d* anomalies/)
  await expect(sides.nth(0)).toContainText('R + W ≤ N (1 + 1 ≤ 3)')
  await expect(sides.nth(1).getByTestId('ab-verdict')).toContainText('0 anomalies, linearizable per key')
  await page.getByTestId('ab-compare').scrollIntoViewIfNeeded()
  await shot(page, info, 'verdict-ab-compare')
})

test('a failing-commit disk fault: the refused writes are counted in the verdict', async ({ page }, info) => {
  await openPage(page, {
    runtime: 'worker',
    numNodes: 3,
    persist: false,
    dbPrefix: `verdict-disk-${Date.now()}`,
  })
  const card = page.getByTestId('db-node-node_1')
  await card.locator('.node-menu-btn').click()
  const menu = page.getByTestId('node-menu')
  await menu.getByTestId('disk-faults-toggle').click()
  await menu.getByTestId('disk-fail').fill('100')
  await menu.getByTestId('disk-apply').click()
  await expect(page.getByTestId('fault-chip').filter({ hasText: 'node_1 disk' })).toBeVisible({
    timeout: 10_000,
  })
  await page.keyboard.press('Escape')
  for (let i = 0; i < 3; i++) {
    const r = await consoleRun(page, 'put', 'node_1', `disk-${i}`, 'v')
    await expect(r).toContainText('STORAGE_UNAVAILABLE')
  }
  await page.getByTestId('tab-verdict').click()
  await expect(page.getByTestId('verdict-refused')).toContainText('3 writes refused or indeterminate')
  await expect(page.getByTestId('verdict-refused')).toContainText('STORAGE_UNAVAILABLE × 3')
  await page.getByTestId('verdict-final').click()
  await expect(page.getByTestId('verdict-final-note')).toContainText('checked', { timeout: 30_000 })
  await expect(page.getByTestId('verdict-headline')).toContainText('0 anomalies')
  await shot(page, info, 'verdict-disk-refused')
})
