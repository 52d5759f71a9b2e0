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
    // each sibling shows its vector and its writer; the read shows its context, not a Lamport version
    await expect(siblings.getByTestId('console-sibling').filter({ hasText: 'milk' })).toContainText('{n0:1}')
    await expect(siblings.getByTestId('console-sibling').filter({ hasText: 'eggs' })).toContainText('{n1:1}')
    await expect(siblings.getByTestId('console-sibling').filter({ hasText: 'milk' })).toContainText('node_0')
    await expect(siblings.getByTestId('console-context')).toContainText('context {n0:1, n1:1}')
    await expect(page.getByTestId('console-read-meta').first()).not.toContainText('ts=')
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
    const one = page.getByTestId('console-result').first().getByTestId('console-vector')
    await expect(one.getByTestId('console-sibling')).toHaveCount(1)
    await expect(one.getByTestId('console-sibling')).toContainText('{n0:1, n1:1, n2:1}') // Resolve via node_2
    await expect(one.getByTestId('console-context')).toContainText('context {n0:1, n1:1, n2:1}')
    await expect(page.getByTestId('sibling-keys-node_0')).toHaveCount(0)
    await shot(page, info, `resolved-${runtime}`)
    // The router carries contexts too (worker runtime: its own Web Worker).
    const viaRouter = await page.evaluate(async () => {
      const r = await window.playground.cluster!.startRouter()
      await r.put('list', 'a')
      await r.put('list', 'b')
      const two = await r.read('list', { level: 'ALL' })
      await r.put('list', 'a+b', { context: two.context })
      const after = await r.read('list', { level: 'ALL' })
      await r.stop()
      return [two.siblings.length, after.siblings.map((s) => s.value)]
    })
    expect(viaRouter).toEqual([2, ['a+b']])
    // A node rebuilt empty signs with a new epoch: its write joins the old sibling, not replaces it.
    const rebuilt = await page.evaluate(async () => {
      const c = window.playground.cluster!
      await c.put(0, 'epoch', 'before', { level: 'ALL' })
      await c.rebuildNode!(0)
      c.partition([['node_0'], ['node_1', 'node_2']])
      await c.put(0, 'epoch', 'after', { level: 'ONE' })
      c.heal()
      await c.settle()
      const actor = ((await c.inspect(0)) as unknown as { conflict: { actor: string } }).conflict.actor
      const r = await c.read(1, 'epoch', { level: 'ALL' })
      return { actor, values: r.siblings.map((s) => s.value).sort() }
    })
    expect(rebuilt.actor).toMatch(/^node_0\.[0-9a-z]+$/)
    expect(rebuilt.values).toEqual(['after', 'before'])
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
  // applyCrdt from the console; the read shows the merged value and each node's entry
  await page.getByTestId('tab-console').click()
  await page.getByTestId('console-op').selectOption('crdt')
  await page.getByTestId('console-node').selectOption('node_2')
  await page.getByTestId('console-level').selectOption('ALL')
  await page.getByTestId('console-key').fill('likes')
  await page.getByTestId('console-crdt-op').fill('{"inc": 4}')
  await page.getByTestId('console-run').click()
  await expect(page.getByTestId('console-result').first()).toHaveAttribute('data-ok', 'true')
  await expect(page.getByTestId('console-write-meta').first()).not.toContainText('ts=')
  await consoleOp(page, 'get', 'likes', 'ALL', 'node_0')
  const crdt = page.getByTestId('console-result').first().getByTestId('console-crdt')
  await expect(crdt).toContainText('7')
  await expect(crdt.getByTestId('console-crdt-entries')).toHaveText('= n0 +1, n1 +2, n2 +4')
  // each replica's own state beside the merged one (they agree after the ALL write)
  const replicas = crdt.locator('[data-testid^="console-crdt-replica-"]')
  await expect(replicas).toHaveCount(3) // N = 3 owners answered the ALL read
  await expect(replicas.first()).toContainText('n0 +1, n1 +2, n2 +4')
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
