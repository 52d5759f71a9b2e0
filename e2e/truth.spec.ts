import { expect, test } from '@playwright/test'
import { IDLE_FIRST_LOAD, openPage as open, shot } from './pageHelpers'

test('the default cluster is 5 nodes with N = 3; a partition is drawn per side, suspects are not dead', async ({
  page,
}, info) => {
  await open(page)
  await expect(page.getByTestId('phase')).toContainText('5 nodes · N=3 W=2 R=2')
  await expect(page.locator('[data-testid^="db-node-node_"]')).toHaveCount(5)
  await page.evaluate(() => window.playground.cluster?.partition([['node_1']]))
  await expect(page.getByTestId('badge-node_1')).toHaveText('isolated', { timeout: 20_000 })
  await expect(page.getByTestId('status-note-node_1')).toHaveText('sees 0 of 4 peers')
  for (const id of ['node_0', 'node_2', 'node_3', 'node_4']) {
    await expect(page.getByTestId(`badge-${id}`)).toHaveText('up')
    await expect(page.getByTestId(`status-note-${id}`)).toHaveText("can't reach node_1")
    await expect(page.getByTestId(`db-node-${id}`)).toHaveAttribute('data-status', 'up')
  }
  // The ring view: node_1 is suspect in a preference list, not struck out as dead.
  await page.getByTestId('tab-ring').click()
  for (let i = 0; i < 40; i++) {
    await page.getByTestId('ring-key-input').fill(`user:${i}`)
    if (await page.getByTestId('pref-list').getByText('node_1').count()) break
  }
  const chip = page.getByTestId('pref-list').getByTestId('node-chip').filter({ hasText: 'node_1' })
  await expect(chip).toContainText('suspect')
  await expect(chip).not.toHaveClass(/down/)
  await shot(page, info, 'partition-per-side')
})

test('a kill in the default cluster leaves visible hints that drain with a delivery line', async ({
  page,
}, info) => {
  test.setTimeout(120_000)
  await open(page, IDLE_FIRST_LOAD) // hint counts must stop growing: no background workload
  await page.getByTestId('tab-hints').click()
  await expect(page.getByTestId('hints-why-none')).toHaveCount(0)
  await page.evaluate(() => window.playground.cluster?.kill('node_2'))
  // Wait until the others' failure detectors see node_2 down, then write keys it owns.
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const s = window.playground.state().snapshots
          return s.node_0?.peerViews.node_2
        }),
      { timeout: 20_000 },
    )
    .toBe('down')
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    const value = 'x'.repeat(150)
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => c.put('node_0', `hint-key-${i}`, value).catch(() => {})),
    )
  })
  // The count settles once every stand-in's snapshot has arrived.
  let held = 0
  await expect
    .poll(async () => {
      const before = Number(await page.getByTestId('hints-total').textContent())
      await page.waitForTimeout(1200)
      const after = Number(await page.getByTestId('hints-total').textContent())
      held = after
      return after > 0 && after === before
    })
    .toBe(true)
  // While node_2 is down its hints wait on the stand-ins: the arrows point node_2 → stand-in.
  const arrows = page.getByTestId('hint-edge')
  await expect(arrows.first()).toBeVisible()
  for (const a of await arrows.all()) {
    await expect(a).toHaveAttribute('data-phase', 'holding')
    await expect(a).toHaveAttribute('data-from', 'node_2')
  }
  await expect(page.getByTestId('hint-state').first()).toHaveText('waiting (node_2 is down)')
  await shot(page, info, 'hints-held')
  // Restart node_2 and watch: the arrows reverse (stand-in → node_2) and the count goes down.
  type Sampled = { counts: number[]; draining: string[] }
  await page.evaluate(() => {
    const w = window as unknown as { drainSample?: Promise<Sampled> }
    w.drainSample = (async () => {
      const counts: number[] = []
      const draining: string[] = []
      const t0 = performance.now()
      while (performance.now() - t0 < 40_000) {
        counts.push(Number(document.querySelector('[data-testid="hints-total"]')?.textContent))
        for (const el of document.querySelectorAll('[data-testid="hint-edge"][data-phase="draining"]'))
          draining.push(`${el.getAttribute('data-from')}>${el.getAttribute('data-to')}`)
        if (counts.at(-1) === 0 && draining.length > 0) break
        await new Promise((r) => setTimeout(r, 50))
      }
      return { counts, draining: [...new Set(draining)] }
    })()
    void window.playground.cluster?.restart('node_2')
  })
  await expect(page.locator('[data-testid="hint-edge"][data-phase="draining"]').first()).toBeVisible({
    timeout: 30_000,
  })
  await shot(page, info, 'hints-draining')
  const seen = await page.evaluate(() => (window as unknown as { drainSample: Promise<Sampled> }).drainSample)
  console.log(`hints: held ${held}; counts seen while draining: ${[...new Set(seen.counts)].join(' → ')}`)
  expect(seen.counts.at(-1)).toBe(0)
  // Counted down: at least one value strictly between the held count and 0 was on screen.
  expect(seen.counts.some((n) => n > 0 && n < held)).toBe(true)
  expect(seen.draining.length).toBeGreaterThan(0)
  for (const d of seen.draining) expect(d).toMatch(/^node_\d>node_2$/)
  // The finished drains stay a moment as "delivered" arrows, stand-in → node_2.
  const delivered = page.locator('[data-testid="hint-edge"][data-phase="delivered"]')
  await expect(delivered.first()).toBeVisible()
  await expect(delivered.first()).toHaveAttribute('data-to', 'node_2')
  await expect(page.locator('.edge-chip.hint-chip.delivered').first()).toContainText(/delivered \d+ ✓/)
  await shot(page, info, 'hints-delivered-arrows')
  await expect(page.getByTestId('hints-total')).toHaveText('0')
  await expect(page.getByTestId('hint-drain').first()).toContainText(
    /delivered \d+ hints? to node_2 in \d+\.\d s/,
  )
  const total = await page
    .getByTestId('hint-drain')
    .evaluateAll((els) =>
      els.reduce((n, el) => n + Number(/delivered (\d+)/.exec(el.textContent ?? '')?.[1] ?? 0), 0),
    )
  expect(total).toBe(held)
  await shot(page, info, 'hints-drained')
})

test('N = number of nodes: the Hints panel explains why there are no stand-ins', async ({ page }) => {
  await open(page)
  await page.evaluate(() => window.playground.createCluster({ numNodes: 3 }))
  await page.getByTestId('tab-hints').click()
  await expect(page.getByTestId('hints-why-none')).toContainText('N = 3 with 3 nodes')
})

test('a new cluster from the setup drawer starts clean: no old rows, notice or tiles; Reset asks first', async ({
  page,
}, info) => {
  await open(page)
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    for (let i = 0; i < 5; i++) await c.put('node_0', `old-${i}`, 'from the old cluster')
  })
  await page.getByTestId('add-node').click()
  await expect(page.getByTestId('notice-banner')).toContainText('joined')
  await page.evaluate(() => window.playground.startWorkload({ ratePerSec: 50 }))
  await expect.poll(() => page.evaluate(() => window.playground.state().samples.length)).toBeGreaterThan(0)
  await page.getByTestId('open-setup').click()
  await page.getByTestId('preset-partition').click()
  await expect(page.getByTestId('phase')).toContainText('3 nodes')
  await expect(page.getByTestId('notice-banner')).toHaveCount(0)
  expect(await page.evaluate(() => window.playground.state().samples.length)).toBe(0)
  const old = await page.evaluate(() => window.playground.cluster?.get('node_0', 'old-0', { level: 'ONE' }))
  expect(old).toBeNull()
  await page.getByTestId('tab-workload').click()
  await expect(page.getByTestId('wl-throughput')).toHaveText('0')
  await shot(page, info, 'scenario-clean')
  // Reset asks before deleting; dismissing keeps the cluster.
  const before = await page.evaluate(() => window.playground.state().generation)
  page.once('dialog', (d) => void d.dismiss())
  await page.getByTestId('wl-reset').click()
  await page.waitForTimeout(300)
  expect(await page.evaluate(() => window.playground.state().generation)).toBe(before)
})

test('settings say what they do: live workload rate, inline errors, Heal all clears skew and restarts killed nodes', async ({
  page,
}, info) => {
  await open(page, IDLE_FIRST_LOAD) // reads the workload panel's default settings
  await page.getByTestId('tab-workload').click()
  await page.getByTestId('wl-ratePerSec').fill('0')
  await expect(page.getByTestId('wl-ratePerSec-error')).toContainText(
    'Rate (ops/s) must be a whole number from 1 to 20000, got 0',
  )
  expect(await page.evaluate(() => window.playground.state().workloadConfig.ratePerSec)).toBe(200)
  await page.getByTestId('wl-ratePerSec').fill('40')
  await expect(page.getByTestId('wl-ratePerSec-error')).toHaveCount(0)
  await page.getByTestId('wl-start').click()
  await expect.poll(() => page.evaluate(() => window.playground.state().samples.length)).toBeGreaterThan(3)
  // Raised while running: the new rate applies without Stop/Start.
  await page.getByTestId('wl-ratePerSec').fill('400')
  await expect
    .poll(async () => Number(await page.getByTestId('wl-throughput').textContent()), { timeout: 20_000 })
    .toBeGreaterThan(200)
  await page.getByTestId('wl-stop').click()
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    c.setClockSkew('node_3', 500)
    await c.kill('node_4')
    c.partition([['node_1']])
  })
  await expect(page.getByTestId('fault-chip')).toHaveCount(3)
  await expect(page.getByTestId('faults-strip')).toContainText('no effect on versions (Lamport clocks)')
  await shot(page, info, 'before-heal-all')
  await page.getByTestId('heal-all').click()
  await expect(page.getByTestId('faults-none')).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('notice-banner')).toContainText('node_3 clock reset')
  await expect(page.getByTestId('notice-banner')).toContainText('node_4 restarted')
  await expect(page.getByTestId('db-node-node_4')).toHaveAttribute('data-status', /up|suspect/)
})

test('numeric fields never clamp silently: Reads %, bulk load, link rules and clock skew say why and apply nothing', async ({
  page,
}, info) => {
  await open(page)
  await page.getByTestId('tab-workload').click()
  const readFraction = () => page.evaluate(() => window.playground.state().workloadConfig.readFraction)
  const before = await readFraction()
  await page.getByTestId('wl-readPct').fill('150')
  await expect(page.getByTestId('wl-readPct-error')).toHaveText(
    `Reads % must be a whole number from 0 to 100, got 150; still using ${Math.round(before * 100)}`,
  )
  expect(await readFraction()).toBe(before)
  await page.getByTestId('wl-readPct').fill('30')
  await expect(page.getByTestId('wl-readPct-error')).toHaveCount(0)
  expect(await readFraction()).toBe(0.3)
  await page.getByTestId('wl-bulk').fill('0')
  await expect(page.getByTestId('wl-bulk-error')).toContainText(
    'Keys to bulk load must be a whole number from 1 to 100000, got 0',
  )
  await expect(page.getByTestId('wl-bulk-load')).toBeDisabled()
  await shot(page, info, 'field-errors-workload')
  // The link panel: loss 150% is refused in words, Apply stays off, the link keeps its old rule.
  await page.locator('.react-flow__edge[data-id="link:node_0~node_1"]').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('edge-panel')).toBeVisible()
  await page.getByTestId('edge-lossPct').fill('150')
  await expect(page.getByTestId('edge-lossPct-error')).toHaveText(
    'Loss % must be a whole number from 0 to 100, got 150',
  )
  await expect(page.getByTestId('edge-apply')).toBeDisabled()
  await shot(page, info, 'field-errors-link')
  await page.getByTestId('edge-lossPct').fill('20')
  await page.getByTestId('edge-apply').click()
  await expect
    .poll(() => page.evaluate(() => window.playground.cluster?.faults().links['node_0>node_1']?.lossRate))
    .toBe(0.2)
  await page.keyboard.press('Escape')
  // The node menu's clock skew.
  await page.getByRole('button', { name: 'Actions for node_2' }).click()
  await page.getByTestId('skew-input').fill('1.5')
  await expect(page.getByTestId('skew-error')).toContainText('Clock skew must be a whole number')
  await expect(page.getByTestId('skew-set')).toBeDisabled()
})
