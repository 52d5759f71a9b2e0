import { expect, type Page, type TestInfo, test } from '@playwright/test'

// The default runtime (Web Workers) unless E2E_RUNTIME=sim asks for the simulator.
const RUNTIME = process.env.E2E_RUNTIME === 'sim' ? { runtime: 'sim' as const } : {}

/** `idle`: the old first load (`tour=off`: no gentle workload, no "Try this" band). */
async function open(page: Page, options?: Record<string, unknown>, idle = false): Promise<void> {
  const params = [process.env.E2E_RUNTIME === 'sim' ? 'runtime=sim' : '', idle ? 'tour=off' : ''].filter(
    Boolean,
  )
  await page.goto(params.length ? `./?${params.join('&')}` : './')
  await page.waitForFunction(() => window.playground?.ready === true)
  if (options)
    await page.evaluate(
      async (o) => {
        await window.playground.createCluster(o as never)
      },
      { ...RUNTIME, ...options },
    )
  await expect(page.getByTestId('phase')).toContainText('nodes')
  // A new cluster refits the view (a 250 ms animation): drag only once it stands still.
  const transform = () =>
    page.evaluate(() => getComputedStyle(document.querySelector('.react-flow__viewport')!).transform)
  let last = ''
  await expect
    .poll(
      async () => {
        const now = await transform()
        const still = now === last
        last = now
        return still
      },
      { intervals: [300] },
    )
    .toBe(true)
}

async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = info.outputPath(`${name}.png`)
  await page.screenshot({ path })
  await info.attach(name, { path, contentType: 'image/png' })
}

/** Drags a DB node (by its header) onto the centre of another element. */
async function dragNode(page: Page, id: string, targetTestId: string): Promise<void> {
  const from = await page.getByTestId(`db-node-${id}`).locator('strong').first().boundingBox()
  const to = await page.getByTestId(targetTestId).boundingBox()
  if (!from || !to) throw new Error('missing bounding box')
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await page.mouse.down()
  const tx = to.x + to.width / 2
  const ty = to.y + to.height / 2
  await page.mouse.move((from.x + tx) / 2, (from.y + ty) / 2, { steps: 8 })
  await page.mouse.move(tx, ty, { steps: 8 })
  await page.mouse.up()
}

async function consoleOp(page: Page, op: string, key: string, level: string, node = 'node_0', value = 'v') {
  await page.getByTestId('tab-console').click()
  await page.getByTestId('console-op').selectOption(op)
  await page.getByTestId('console-node').selectOption(node)
  await page.getByTestId('console-level').selectOption(level)
  await page.getByTestId('console-key').fill(key)
  if (op === 'put') await page.getByTestId('console-value').fill(value)
  const before = await page.getByTestId('console-result').count()
  await page.getByTestId('console-run').click()
  await expect(page.getByTestId('console-result')).toHaveCount(before + 1, { timeout: 30_000 })
  return page.getByTestId('console-result').first()
}

test('the page shows the default 5-node cluster', async ({ page }, info) => {
  await open(page)
  await expect(page.locator('[data-testid^="db-node-"]')).toHaveCount(5)
  for (const id of ['node_0', 'node_1', 'node_2', 'node_3', 'node_4'])
    await expect(page.getByTestId(`db-node-${id}`)).toHaveAttribute('data-status', 'up')
  await expect(page.getByRole('heading', { name: 'DistDB Playground' })).toBeVisible()
  await shot(page, info, 'three-nodes')
})

test('drag into zone B partitions: ALL fails, ONE succeeds; drag back converges', async ({ page }, info) => {
  await open(page, { numNodes: 3, replicationFactor: 3 })
  await dragNode(page, 'node_2', 'zone-B')
  await expect(page.getByTestId('zone-B')).toContainText('1 node')
  const all = await consoleOp(page, 'put', 'p:key', 'ALL')
  await expect(all).toHaveAttribute('data-ok', 'false')
  await expect(all).toContainText(/QUORUM_NOT_MET|TIMEOUT/)
  const one = await consoleOp(page, 'put', 'p:key', 'ONE', 'node_0', 'after-partition')
  await expect(one).toHaveAttribute('data-ok', 'true')
  await shot(page, info, 'partitioned')
  await dragNode(page, 'node_2', 'zone-A')
  await expect(page.getByTestId('zone-B')).toContainText('0 nodes')
  await expect
    .poll(() => page.evaluate(() => window.playground.cluster!.get(2, 'p:key', { level: 'ONE' })), {
      timeout: 30_000,
    })
    .toBe('after-partition')
  await shot(page, info, 'healed')
})

test('kill area: node goes down, a stand-in holds hints, restart drains them', async ({ page }, info) => {
  await open(page, { numNodes: 3, replicationFactor: 2, writeQuorum: 1, readQuorum: 1, sloppyQuorum: true })
  await dragNode(page, 'node_1', 'kill-area')
  await expect(page.getByTestId('db-node-node_1')).toHaveAttribute('data-status', 'down')
  await page.waitForTimeout(2500) // the failure detector notices
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    for (let i = 0; i < 30; i++) await c.put(0, `h:${i}`, `v${i}`).catch(() => {})
  })
  await page.getByTestId('tab-hints').click()
  await expect
    .poll(async () => Number(await page.getByTestId('hints-total').textContent()))
    .toBeGreaterThan(0)
  await expect(page.locator('.hint-edge').first()).toBeVisible()
  await shot(page, info, 'hints-held')
  await page.getByRole('button', { name: 'Actions for node_1' }).click()
  await page.getByTestId('node-menu').getByRole('button', { name: 'Restart' }).click()
  await expect(page.getByTestId('db-node-node_1')).toHaveAttribute('data-status', /up|suspect/)
  await expect
    .poll(async () => Number(await page.getByTestId('hints-total').textContent()), { timeout: 30_000 })
    .toBe(0)
  await expect(page.locator('.hint-edge')).toHaveCount(0)
  await shot(page, info, 'hints-drained')
})

test('ring view shows a key and its preference list', async ({ page }, info) => {
  await open(page, { numNodes: 5, replicationFactor: 3 })
  await page.getByTestId('tab-ring').click()
  await page.getByTestId('ring-key-input').fill('user:1234')
  await expect(page.getByTestId('ring-key')).toBeVisible()
  await expect(page.getByTestId('pref-list').getByTestId('node-chip')).toHaveCount(3)
  await shot(page, info, 'ring')
})

test('workload charts move', async ({ page }, info) => {
  await open(page, undefined, true) // starts its own workload from the panel
  await page.getByTestId('tab-workload').click()
  await page.getByTestId('wl-ratePerSec').fill('300')
  await page.getByTestId('wl-start').click()
  await expect
    .poll(async () => Number(await page.getByTestId('wl-throughput').textContent()), { timeout: 15_000 })
    .toBeGreaterThan(0)
  await expect(page.getByTestId('chart-throughput').locator('canvas')).toBeVisible()
  await page.waitForTimeout(2000)
  await shot(page, info, 'workload')
  await page.getByTestId('wl-stop').click()
})

test('the workload keeps its rate when a node dies: the live nodes take over its share', async ({ page }) => {
  await open(page, { numNodes: 5, replicationFactor: 3, heartbeatIntervalMs: 100, heartbeatTimeoutMs: 600 })
  const meanRate = (): Promise<number> =>
    page.evaluate(() => {
      const recent = window.playground.state().samples.slice(-4)
      return recent.reduce((a, x) => a + x.opsPerSec, 0) / Math.max(1, recent.length)
    })
  await page.evaluate(() => window.playground.startWorkload({ ratePerSec: 200, readFraction: 0.5 }))
  // In the worker runtime the nodes generate the operations themselves (the page only charts them).
  if (!process.env.E2E_RUNTIME)
    expect(await page.evaluate(() => typeof window.playground.cluster?.startWorkload)).toBe('function')
  await expect.poll(meanRate, { timeout: 15_000 }).toBeGreaterThan(170)
  // The nodes' generators feed the cluster's hot-spot metrics (issue 13): ops per partition and key.
  const metrics = await page.evaluate(() => {
    const c = window.playground.cluster!
    return {
      ops: Object.values(c.getPartitionStats()).reduce((a, b) => a + b, 0),
      hot: c.getHotKeys(3).length,
    }
  })
  expect(metrics.ops).toBeGreaterThan(100)
  expect(metrics.hot).toBe(3)
  await page.evaluate(() => window.playground.cluster!.kill('node_3'))
  await page.waitForTimeout(3000)
  // Four nodes share 200 ops/s now (a generator left at a fifth would give 160).
  await expect.poll(meanRate, { timeout: 15_000 }).toBeGreaterThan(180)
  await page.evaluate(() => window.playground.stopWorkload())
})

test('Merkle view shows two replicas and exchanges', async ({ page }, info) => {
  await open(page, { numNodes: 3, antiEntropyIntervalMs: 1000 })
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    for (let i = 0; i < 20; i++) await c.put(0, `m:${i}`, `v${i}`)
  })
  await page.getByTestId('tab-merkle').click()
  await expect(page.getByTestId('tree-a')).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('tree-b')).toBeVisible()
  await expect(page.getByTestId('merkle-saved')).toBeVisible({ timeout: 30_000 })
  await shot(page, info, 'merkle')
})

test('setup form validates inline and dark theme toggles', async ({ page }, info) => {
  await open(page)
  await page.getByTestId('open-setup').click()
  await page.getByTestId('setup-replicationFactor').fill('3')
  await page.getByTestId('setup-writeQuorum').fill('4')
  await expect(page.getByTestId('error-writeQuorum')).toContainText('writeQuorum 4 > replicationFactor 3')
  await expect(page.getByTestId('setup-apply')).toBeDisabled()
  await shot(page, info, 'setup-validation')
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click()
  await shot(page, info, 'theme-toggled')
})

test('add a node from the header, remove it from its menu; the ring follows', async ({ page }, info) => {
  await open(page, { numNodes: 4, replicationFactor: 3 })
  await page.getByTestId('tab-ring').click()
  const ticks = page.locator('.ring-svg .tick')
  await expect(ticks.first()).toBeAttached()
  const before = await ticks.count()
  await page.getByTestId('add-node').click()
  await expect(page.getByTestId('db-node-node_4')).toHaveAttribute('data-status', 'up', { timeout: 30_000 })
  await expect(page.getByTestId('phase')).toContainText('5 nodes')
  await expect.poll(() => ticks.count(), { timeout: 10_000 }).toBeGreaterThan(before)
  await page.waitForTimeout(1500)
  await shot(page, info, 'node-added')
  await page.getByRole('button', { name: 'Actions for node_4' }).click()
  await page.getByTestId('remove-node').click()
  await expect(page.getByTestId('db-node-node_4')).toHaveCount(0, { timeout: 30_000 })
  await expect(page.getByTestId('phase')).toContainText('4 nodes')
  await expect.poll(() => ticks.count(), { timeout: 10_000 }).toBe(before)
  await shot(page, info, 'node-removed')
})

test('data browser pages through one node’s rows, edits and deletes', async ({ page }, info) => {
  await open(page, { numNodes: 3 })
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    for (let i = 0; i < 30; i++) await c.put(0, `row:${String(i).padStart(2, '0')}`, `value ${i}`)
    await c.settle({ timeoutMs: 10_000 }).catch(() => {})
  })
  await page.getByTestId('tab-data').click()
  await page.getByTestId('data-node').selectOption('node_1')
  const rows = page.getByTestId('data-row')
  await expect(rows).toHaveCount(12)
  await expect(rows.first().locator('td').first()).toHaveText('row:00')
  await page.getByTestId('data-next').click()
  await expect(page.getByTestId('data-page')).toHaveText('page 2')
  await expect(rows.first().locator('td').first()).toHaveText('row:12')
  await page.getByTestId('data-next').click()
  await expect(rows).toHaveCount(6)
  await expect(page.getByTestId('data-next')).toBeDisabled()
  await page.getByTestId('data-prev').click()
  await expect(rows.first().locator('td').first()).toHaveText('row:12')
  await page.getByRole('button', { name: 'Edit row:13' }).click()
  await page.getByLabel('New value for row:13').fill('edited!')
  await page.getByLabel('New value for row:13').press('Enter')
  await expect(rows.nth(1)).toContainText('edited!')
  await page.getByRole('button', { name: 'Delete row:14' }).click()
  await expect(page.getByRole('button', { name: 'Delete row:14' })).toHaveCount(0)
  await shot(page, info, 'data-browser')
})

test('a partition made from the console shows on the canvas; Merkle "Sync now" reports its figures', async ({
  page,
}, info) => {
  await open(page, { numNodes: 3 })
  await page.evaluate(() => window.playground.cluster!.partition([['node_2']]))
  await expect(page.locator('.link-edge.partitioned').first()).toBeAttached()
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    for (let i = 0; i < 10; i++) await c.put(0, `p:${i}`, `v${i}`, { level: 'ONE' })
  })
  await shot(page, info, 'console-partition')
  await page.evaluate(() => window.playground.cluster!.heal())
  await expect(page.locator('.link-edge.partitioned')).toHaveCount(0)
  await page.getByTestId('tab-merkle').click()
  await page.getByTestId('merkle-sync').click()
  await expect(page.getByTestId('merkle-sync-result')).toContainText('mismatched leaves', { timeout: 20_000 })
  await shot(page, info, 'merkle-sync')
})

test('reset cluster deletes the stored data and starts fresh', async ({ page }, info) => {
  await open(page, { numNodes: 3 })
  await page.evaluate(() => window.playground.cluster!.put(0, 'keep?', 'no'))
  page.on('dialog', (d) => void d.accept())
  await page.getByTestId('open-setup').click()
  await page.getByTestId('reset-cluster').click()
  await expect(page.getByTestId('setup-drawer')).toHaveCount(0, { timeout: 30_000 })
  await expect(page.getByTestId('phase')).toContainText('3 nodes')
  expect(await page.evaluate(() => window.playground.cluster!.get(1, 'keep?'))).toBeNull()
  await shot(page, info, 'after-reset')
})

test('16 nodes under load: compact layout in both themes', async ({ page }, info) => {
  await open(page, { numNodes: 16, replicationFactor: 3 })
  await page.evaluate(() => window.playground.startWorkload({ ratePerSec: 200 }))
  await page.waitForTimeout(3000)
  await page.evaluate(() => window.playground.state().setTheme('light'))
  await page.waitForTimeout(300)
  await shot(page, info, 'sixteen-light')
  await page.evaluate(() => window.playground.state().setTheme('dark'))
  await page.waitForTimeout(300)
  await shot(page, info, 'sixteen-dark')
  await page.evaluate(() => window.playground.stopWorkload())
})
