/**
 * Routing in the worker runtime (real workers): NOT_OWNER and forwarding, the router in its own Web
 * Worker following an addNode, and the token-aware driver.
 */
import { expect, test } from '@playwright/test'

test('owner routing, forwarding, a router worker and the driver', async ({ page }) => {
  await page.goto('./')
  await page.waitForFunction(() => window.playground?.ready === true)
  const r = await page.evaluate(async () => {
    const c = await window.playground.createCluster({
      runtime: 'worker',
      numNodes: 4,
      replicationFactor: 2,
      routing: 'owner',
      dbPrefix: `routing-${Date.now()}`,
      antiEntropyIntervalMs: 0,
    })
    const owners = c.getPartitionMap().partitions[c.getPartitionId('k')].replicas
    const other = c.nodes.map((n) => n.id).find((id) => !owners.includes(id))!
    let notOwner: unknown = null
    try {
      await c.put(other, 'k', 'v')
    } catch (e) {
      notOwner = { code: (e as { code: string }).code, details: (e as { details: unknown }).details }
    }
    c.enableForwarding(true)
    await new Promise((res) => setTimeout(res, 200))
    await c.put(other, 'k', 'forwarded')
    const forwarded = await c.get(other, 'k')
    c.enableForwarding(false)
    const router = await c.startRouter()
    for (let i = 0; i < 20; i++) await router.put(`r${i}`, `v${i}`)
    const viaRouter: Array<string | null> = []
    for (let i = 0; i < 20; i++) viaRouter.push(await router.get(`r${i}`))
    const d = window.playground.createDriver(c, { loadBalanceReads: true })
    await d.put('alice', 'd', 'mine')
    const ryw = await d.get('alice', 'd')
    await c.addNode()
    await new Promise((res) => setTimeout(res, 300))
    const mapsEqual =
      JSON.stringify(d.map) === JSON.stringify(c.getPartitionMap()) &&
      router.mapVersion === c.getPartitionMap().version
    for (let i = 0; i < 20; i++) await router.put(`r${i}`, `w${i}`)
    const afterAdd: Array<string | null> = []
    for (let i = 0; i < 20; i++) afterAdd.push(await router.get(`r${i}`))
    await router.stop()
    return {
      notOwner,
      owners,
      forwarded,
      viaRouter,
      ryw,
      mapsEqual,
      afterAdd,
      retries: d.stats.notOwnerRetries,
    }
  })
  expect(r.notOwner).toMatchObject({ code: 'NOT_OWNER', details: { owners: r.owners } })
  expect(r.forwarded).toBe('forwarded')
  expect(r.viaRouter).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`))
  expect(r.ryw).toBe('mine')
  expect(r.mapsEqual).toBe(true)
  expect(r.afterAdd).toEqual(Array.from({ length: 20 }, (_, i) => `w${i}`))
  expect(r.retries).toBe(0)
})

test('the dashboard workload with the token-aware switch runs on the nodes without errors', async ({
  page,
}) => {
  await page.goto('./?tour=off') // starts its own workload from the panel
  await page.waitForFunction(() => window.playground?.ready === true)
  await page.evaluate(() =>
    window.playground.createCluster({
      runtime: 'worker',
      numNodes: 5,
      replicationFactor: 3,
      dbPrefix: `ta-${Date.now()}`,
    }),
  )
  await page.getByTestId('tab-workload').click()
  await page.getByTestId('wl-coordinator').selectOption('token-aware')
  await page.getByTestId('wl-start').click()
  await page.waitForFunction(() => window.playground.state().samples.length >= 4)
  const samples = await page.evaluate(() => window.playground.state().samples.slice(1))
  await page.getByTestId('wl-stop').click()
  expect(samples.reduce((a, s) => a + s.opsPerSec, 0) / samples.length).toBeGreaterThan(100)
  expect(samples.every((s) => s.errorsPerSec === 0)).toBe(true)
})
