/** The data browser's cluster-wide queries in Chromium (worker runtime): records, a range, an index. */
import { expect, test } from '@playwright/test'
import { openPage, shot } from './pageHelpers'

test('data browser: records with partition/clustering columns, a range query and index queries that name who answered', async ({
  page,
}, info) => {
  test.setTimeout(120_000)
  await openPage(page)
  await page.evaluate(async () => {
    await window.playground.createCluster({
      numNodes: 3,
      replicationFactor: 2,
      indexFields: ['name'],
      globalIndexFields: ['name'],
      cacheSize: 100,
    })
  })
  await expect(page.getByTestId('phase')).toContainText('3 nodes')
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    for (const [ck, name] of [
      ['a', 'ann'],
      ['b', 'bob'],
      ['c', 'ann'],
      ['d', 'dan'],
    ])
      await c.put(0, 'alpha', ck, JSON.stringify({ name }))
    await c.put(1, 'beta', 'a', JSON.stringify({ name: 'ann' }))
    for (let i = 0; i < 12; i++) await c.put(2, `row${String(i).padStart(2, '0')}`, `plain ${i}`)
    // Reads at ONE through every node: an owner answers from its own cache.
    for (let i = 0; i < 3; i++) for (const n of [0, 1, 2]) await c.get(n, 'alpha', 'a', { level: 'ONE' })
  })
  await page.getByTestId('tab-data').click()

  // Records: every node merged, partition and clustering columns, filter, offset paging.
  await page.getByTestId('records-refresh').click()
  await expect(page.getByTestId('records-counts')).toContainText('1–10 of 17')
  const first = page.getByTestId('records-table').locator('tbody tr').first()
  await expect(first.locator('td').nth(0)).toHaveText('alpha')
  await expect(first.locator('td').nth(1)).toHaveText('a')
  await page.getByTestId('records-next').click()
  await expect(page.getByTestId('records-counts')).toContainText('11–17 of 17')
  await page.getByTestId('records-filter').fill('ann')
  await page.getByTestId('records-filter').press('Enter')
  await expect(page.getByTestId('records-counts')).toContainText('1–3 of 3')

  // Range query: inclusive bounds, clustering order.
  await page.getByTestId('range-pk').fill('alpha')
  await page.getByTestId('range-start').fill('a')
  await page.getByTestId('range-end').fill('c')
  await page.getByTestId('range-run').click()
  await expect(page.getByTestId('range-result')).toContainText('3 rows')
  await expect(page.getByTestId('range-result')).toContainText('a = {"name":"ann"} · b = {"name":"bob"} · c')
  await page.getByTestId('range-start').fill('z')
  await page.getByTestId('range-run').click()
  await expect(page.getByTestId('range-error')).toContainText('BAD_INPUT')

  // Secondary index: every live node answers.
  await page.getByTestId('index-kind').selectOption('secondary')
  await page.getByTestId('index-value').fill('ann')
  await page.getByTestId('index-run').click()
  await expect(page.getByTestId('index-keys')).toHaveText('alpha|a, alpha|c, beta|a')
  await expect(page.getByTestId('index-answered')).toContainText('node_0')
  await expect(page.getByTestId('index-answered')).toContainText('node_2')
  // Global index: only the value's owners.
  await page.getByTestId('index-kind').selectOption('global')
  await page.getByTestId('index-run').click()
  await expect(page.getByTestId('index-keys')).toHaveText('alpha|a, alpha|c, beta|a')
  const owners = await page.evaluate(() => window.playground.cluster!.getIndexOwner('name', 'ann'))
  await expect(page.getByTestId('index-answered')).toContainText(`owners ${owners.join(', ')}`)
  const answered = (await page.getByTestId('index-answered').textContent()) ?? ''
  const who = answered.split('answered:')[1]
  for (const n of ['node_0', 'node_1', 'node_2']) if (who.includes(n)) expect(owners).toContain(n)

  // The node card shows the read cache's hits/misses.
  await expect(page.locator('[data-testid^="cache-node_"]')).toHaveCount(3)
  await expect(
    page
      .locator('[data-testid^="cache-node_"]')
      .filter({ hasText: /^[1-9]\d*\/\d+$/ })
      .first(),
  ).toBeVisible({
    timeout: 10_000,
  })
  await shot(page, info, 'data-browser-queries')
})
