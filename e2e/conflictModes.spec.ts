/**
 * Conflict modes in Chromium, in both runtimes: a partitioned double write in a 'vector' cluster
 * shows two siblings in the client console; "Resolve" writes with the read's context and leaves one
 * sibling on every replica. The header badge names the mode.
 */
import { expect, type Page, test } from '@playwright/test'
import { openPage, shot } from './pageHelpers'

async function consoleOp(page: Page, op: string, key: string, level: string, node: string, value?: string) {
  await page.getByTestId('tab-console').click()
  await page.getByTestId('console-op').selectOption(op)
  await page.getByTestId('console-node').selectOption(node)
  await page.getByTestId('console-level').selectOption(level)
  await page.getByTestId('console-key').fill(key)
  if (value !== undefined) await page.getByTestId('console-value').fill(value)
  await page.getByTestId('console-run').click()
}

for (const runtime of ['worker', 'sim'] as const) {
  test(`vector mode (${runtime}): a partitioned double write shows two siblings; Resolve leaves one on every replica`, async ({
    page,
  }, info) => {
    await openPage(page, runtime === 'sim' ? '?runtime=sim' : '')
    await page.evaluate(async (rt) => {
      await window.playground.createCluster({
        runtime: rt,
        numNodes: 3,
        consistencyMode: 'vector',
        antiEntropyIntervalMs: 0,
      })
    }, runtime)
    await expect(page.getByTestId('phase')).toContainText('3 nodes')
    await expect(page.getByTestId('mode-badge')).toHaveText('vector')
    await page.evaluate(() => window.playground.cluster!.partition([['node_0'], ['node_1', 'node_2']]))
    await consoleOp(page, 'put', 'cart', 'ONE', 'node_0', 'milk')
    await expect(page.getByTestId('console-result').first()).toHaveAttribute('data-ok', 'true')
    await consoleOp(page, 'put', 'cart', 'ONE', 'node_1', 'eggs')
    await expect(page.getByTestId('console-result').first()).toHaveAttribute('data-ok', 'true')
    await page.evaluate(async () => {
      window.playground.cluster!.heal()
      await window.playground.cluster!.settle()
    })
    await consoleOp(page, 'get', 'cart', 'ALL', 'node_2')
    const siblings = page.getByTestId('console-siblings').first()
    await expect(siblings.getByTestId('console-sibling')).toHaveCount(2)
    await expect(siblings).toContainText('milk')
    await expect(siblings).toContainText('eggs')
    await expect(page.getByTestId('sibling-keys-node_0')).toHaveText('1 sib') // the node card counts it
    await shot(page, info, `siblings-${runtime}`)
    await page.getByTestId('console-resolve-value').first().fill('milk, eggs')
    await page.getByTestId('console-resolve').first().click()
    await expect(page.getByTestId('console-result').first()).toContainText('resolve')
    await expect(page.getByTestId('console-result').first()).toHaveAttribute('data-ok', 'true')
    await page.evaluate(() => window.playground.cluster!.settle())
    const perReplica = await page.evaluate(async () => {
      const c = window.playground.cluster!
      const out: string[][] = []
      for (const n of [0, 1, 2])
        out.push((await c.read(n, 'cart', { level: 'ONE' })).siblings.map((s) => String(s.value)))
      return out
    })
    expect(perReplica).toEqual([['milk, eggs'], ['milk, eggs'], ['milk, eggs']])
    await consoleOp(page, 'get', 'cart', 'ALL', 'node_0')
    await expect(page.getByTestId('console-result').first()).toContainText('milk, eggs')
    await expect(page.getByTestId('console-result').first().getByTestId('console-siblings')).toHaveCount(0)
    await expect(page.getByTestId('sibling-keys-node_0')).toHaveCount(0)
    await shot(page, info, `resolved-${runtime}`)
  })
}

test('the setup form picks the conflict mode and the header badge shows it', async ({ page }) => {
  await openPage(page, '?runtime=sim')
  await expect(page.getByTestId('mode-badge')).toHaveText('lww')
  await page.getByTestId('open-setup').click()
  await page.getByTestId('setup-consistency-mode').selectOption('crdt')
  await expect(page.getByTestId('setup-crdt-config')).toBeVisible()
  await page.getByTestId('setup-apply').click()
  await expect(page.getByTestId('mode-badge')).toHaveText('crdt')
  const likes = await page.evaluate(async () => {
    const c = window.playground.cluster!
    await c.applyCrdt(0, 'likes', { inc: 1 })
    await c.applyCrdt(1, 'likes', { inc: 2 })
    await c.settle()
    return (await c.read(2, 'likes')).crdt?.value
  })
  expect(likes).toBe(3)
})

test('the preset "LWW loses writes, siblings don’t" shows each mode’s verdict on the same run', async ({
  page,
}, info) => {
  await openPage(page)
  await page.getByTestId('open-setup').click()
  await page.getByTestId('preset-conflict-modes').click()
  const notice = page.getByTestId('notice-banner')
  await expect(notice).toContainText('lww: kept', { timeout: 30_000 })
  await expect(notice).toContainText('1 of 2 acknowledged writes lost')
  await expect(notice).toContainText('vector: kept eggs + milk, 0 of 2 acknowledged writes lost')
  await expect(notice).toContainText('crdt: kept eggs + milk, 0 of 2 acknowledged writes lost')
  await expect(page.getByTestId('mode-badge')).toHaveText('vector')
  await shot(page, info, 'conflict-preset')
})
