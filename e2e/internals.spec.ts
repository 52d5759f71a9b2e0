import { expect, test } from '@playwright/test'
import { IDLE_FIRST_LOAD, openPage as open, shot } from './pageHelpers'

test('storage: a workload on the default cluster flushes SSTables and compacts within a minute', async ({
  page,
}, info) => {
  test.setTimeout(120_000)
  // The first load, tours on: a workload started over the gentle one starts from the panel's own
  // settings (not the gentle one's key count).
  await open(page)
  await page.getByTestId('tab-storage').click()
  await page.evaluate(() => window.playground.startWorkload({ ratePerSec: 300, readFraction: 0.2 }))
  const started = Date.now()
  await expect(page.getByTestId('sst-chip').first()).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('sst-chip').first()).toContainText(/\d+ keys · [\d.]+ (KB|B)/)
  await expect(page.getByTestId('compaction-row').first()).toBeVisible({ timeout: 60_000 })
  expect(Date.now() - started).toBeLessThan(60_000)
  await expect(page.getByTestId('compaction-row').first().locator('td').first()).toHaveText(/^\d+\.\d{3} s$/)
  await page.evaluate(() => window.playground.stopWorkload())
  await shot(page, info, 'storage-flush-compaction')
})

test('errors in human words: an unreachable quorum names the down owners and suggests ONE', async ({
  page,
}, info) => {
  await open(page)
  await page.evaluate(async () => {
    await window.playground.createCluster({ numNodes: 3, replicationFactor: 3, sloppyQuorum: false })
  })
  await expect(page.getByTestId('phase')).toContainText('3 nodes')
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    await c.kill('node_1')
    await c.kill('node_2')
  })
  await expect
    .poll(() => page.evaluate(() => window.playground.state().snapshots.node_0?.peerViews.node_2), {
      timeout: 20_000,
    })
    .toBe('down')
  await page.getByTestId('tab-console').click()
  await page.getByTestId('console-op').selectOption('put')
  await page.getByTestId('console-level').selectOption('QUORUM')
  await page.getByTestId('console-key').fill('k')
  await page.getByTestId('console-value').fill('v')
  await page.getByTestId('console-run').click()
  await expect(page.getByTestId('console-result').first()).toContainText(
    'only 1 replica is reachable (the write needs 2 of 3); node_1 and node_2 are down — try level ONE',
  )
  await shot(page, info, 'human-error')
})

test('data browser: fixed-width table with long values truncated, Save/Cancel/Esc editor, delete with undo, key jump and counts', async ({
  page,
}, info) => {
  await open(page, IDLE_FIRST_LOAD) // counts rows and memtables of an idle cluster
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    for (let i = 0; i < 20; i++)
      await c.put(0, `row:${String(i).padStart(2, '0')}`, `value ${i} `.repeat(i === 1 ? 200 : 1))
    await c.settle({ timeoutMs: 10_000 }).catch(() => {})
  })
  await page.getByTestId('tab-data').click()
  await page.getByTestId('data-node').selectOption('node_0')
  const rows = page.getByTestId('data-row')
  await expect(rows.first()).toBeVisible()
  await expect(page.getByTestId('data-counts')).toContainText(/\d+ rows on this page · node_0 holds \d+ keys/)
  // The long value does not widen the panel.
  const overflow = await page.getByTestId('data-panel').evaluate((el) => el.scrollWidth - el.clientWidth)
  expect(overflow).toBeLessThanOrEqual(1)
  const key = (await rows.first().locator('td').first().textContent()) ?? ''
  // Esc cancels, Cancel cancels, Save saves.
  await page.getByRole('button', { name: `Edit ${key}` }).click()
  await page.getByLabel(`New value for ${key}`).fill('not saved')
  await page.getByLabel(`New value for ${key}`).press('Escape')
  await expect(page.getByLabel(`New value for ${key}`)).toHaveCount(0)
  await expect(rows.first()).not.toContainText('not saved')
  await page.getByRole('button', { name: `Edit ${key}` }).click()
  await page.getByLabel(`New value for ${key}`).fill('saved!')
  await page.getByTestId('data-save').click()
  await expect(rows.first()).toContainText('saved!')
  // Delete, then undo brings the row back with its value.
  await page.getByRole('button', { name: `Delete ${key}` }).click()
  await expect(page.getByRole('button', { name: `Delete ${key}` })).toHaveCount(0)
  await page.getByTestId('data-undo').click()
  await expect(rows.first()).toContainText('saved!')
  // Jump to a key.
  await page.getByTestId('data-search').fill('row:1')
  await page.getByTestId('data-search').press('Enter')
  await expect(rows.first().locator('td').first()).toHaveText(/^row:1\d$/)
  await shot(page, info, 'data-browser')
})

test('Merkle: "Sync now" explains what was saved against a full transfer (or that it cost more)', async ({
  page,
}, info) => {
  await open(page)
  await page.evaluate(() => window.playground.createCluster({ numNodes: 3 }))
  await page.evaluate(() => window.playground.cluster!.partition([['node_2']]))
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    for (let i = 0; i < 10; i++) await c.put(0, `p:${i}`, `v${i}`, { level: 'ONE' })
    c.heal()
  })
  await page.getByTestId('tab-merkle').click()
  await page.getByTestId('merkle-sync').click()
  await expect(page.getByTestId('merkle-saving-text')).toHaveText(
    /^(Saved \d+%: the trees' hashes found the differing leaves|Cost \d+% more than a full copy|Nothing to compare yet)/,
    { timeout: 20_000 },
  )
  await expect(page.getByTestId('merkle-mismatch-summary')).toContainText(
    /\d+ of \d+ exchanges found differences/,
  )
  await shot(page, info, 'merkle-saving')
})

test('Merkle: the two trees are drawn as trees; "Sync now" highlights the mismatch path it descends', async ({
  page,
}, info) => {
  // The simulator, paused: no resend or periodic exchange repairs the replicas behind the test's back.
  await open(page, '?runtime=sim')
  await page.evaluate(() => window.playground.createCluster({ runtime: 'sim', numNodes: 3 }))
  await expect(page.getByTestId('phase')).toContainText('3 nodes')
  await page.getByTestId('time-toggle').click()
  await expect(page.getByTestId('time-toggle')).toContainText('Resume')
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    c.partition([['node_0', 'node_1'], ['node_2']])
    for (let i = 0; i < 12; i++) await c.put(0, `m:${i}`, `v${i}`, { level: 'ONE' })
    c.heal()
  })
  await page.getByTestId('tab-merkle').click()
  await page.getByTestId('merkle-b').selectOption('node_2')
  // The live trees: circles linked parent → child, the differing ones red with a thick path to them.
  await expect(page.getByTestId('tree-a').locator('line')).toHaveCount(20)
  await expect(page.getByTestId('tree-a').locator('circle')).toHaveCount(21)
  await expect(page.getByTestId('tree-a').getByTestId('tree-node-mismatch').first()).toBeVisible()
  await expect(page.getByTestId('tree-b').getByTestId('tree-path-link').first()).toBeVisible()
  await shot(page, info, 'merkle-trees-live')
  await page.getByTestId('merkle-sync').click()
  const compared = page.getByTestId('merkle-compared')
  await expect(compared).toContainText('as the exchange compared it (before the repair)', { timeout: 20_000 })
  const pathLinks = await compared.getByTestId('tree-path-link').count()
  expect(pathLinks).toBeGreaterThan(0)
  await expect(page.getByTestId('merkle-path-text')).toHaveText(
    /^The roots differ; the exchange followed \d of 4 subtrees down to \d+ mismatched lea(f|ves) \(of 1024\) and sent only their rows: \d+ rows? sent, \d+ received\.$/,
  )
  // The summary lists only the exchanges that found differences and explains the saving (or the cost).
  await expect(page.getByTestId('merkle-mismatch-summary')).toContainText(
    /\d+ of \d+ exchanges found differences/,
  )
  await expect(page.getByTestId('merkle-saving-text')).toHaveText(
    /^(Saved \d+%|Cost \d+% more than a full copy)/,
  )
  await shot(page, info, 'merkle-exchange-path')
  // After the repair the live trees agree: no red left.
  await page.getByTestId('merkle-live-trees').click()
  await expect(page.getByTestId('tree-a').getByTestId('tree-node-mismatch')).toHaveCount(0, {
    timeout: 10_000,
  })
})

test('storage: "Flush now" and "Compact now" on a node (worker runtime) show a flush and an animated compaction', async ({
  page,
}, info) => {
  await open(page, IDLE_FIRST_LOAD) // counts rows and memtables of an idle cluster
  await page.getByTestId('tab-storage').click()
  await page.getByTestId('storage-node').selectOption('node_0')
  const flush = page.getByTestId('storage-flush')
  const result = page.getByTestId('storage-action-result')
  for (let round = 0; round < 3; round++) {
    await page.evaluate(async (r) => {
      const c = window.playground.cluster!
      for (let i = 0; i < 10; i++) await c.put('node_0', `s${r}-${i}`, `value ${i}`)
    }, round)
    await flush.click()
    await expect(result).toContainText(
      /^node_0: Flushed \d+ entries from the memtable into a new level-0 SSTable/,
    )
  }
  await expect(page.getByTestId('sst-chip')).toHaveCount(3, { timeout: 5000 })
  await expect(page.getByTestId('sst-chip').first()).toContainText(/#\d+ \d+ keys · [\d.]+ (KB|B)/)
  await expect(page.getByTestId('storage-change')).toContainText(/^Flushed the memtable into L0 #\d+/)
  await page.getByTestId('storage-compact').click()
  await expect(result).toContainText(/^node_0: Compacted 3 tables into 1 table in L\d/)
  // The merged tables linger as ghosts while the caption names what went where.
  await expect(page.getByTestId('storage-change')).toContainText(
    /^Compacted 3 tables \(L0 #\d+ #\d+ #\d+\) into L\d #\d+/,
  )
  await expect(page.getByTestId('sst-ghost').first()).toBeVisible()
  await shot(page, info, 'storage-buttons-compaction')
  await expect(page.getByTestId('sst-ghost')).toHaveCount(0, { timeout: 5000 })
  await expect(page.getByTestId('sst-chip')).toHaveCount(1)
  await expect(page.getByTestId('compaction-row').first()).toBeVisible()
  // Nothing to do is said, not hidden.
  await flush.click()
  await expect(result).toHaveText('node_0: Nothing to flush: the memtable is empty.')
})
