/**
 * Issue #2's end-to-end proof, in real Chromium against the production build under /demo/: real Web
 * Workers, real IndexedDB, the Cluster API on window.playground, and the canvas showing node status.
 */
import { expect, type Page, type TestInfo, test } from '@playwright/test'

async function ready(page: Page): Promise<void> {
  await page.goto('./')
  await page.waitForFunction(() => window.playground?.ready === true)
  await expect(page.locator('[data-testid^="db-node-"]')).toHaveCount(5)
}

async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = info.outputPath(`${name}.png`)
  await page.screenshot({ path })
  await info.attach(name, { path, contentType: 'image/png' })
}

test('the default worker nodes: put on node 0, get on node 2, kill and restart node_1 on the canvas', async ({
  page,
}, info) => {
  await ready(page)
  expect(await page.evaluate(() => window.playground.cluster?.runtime)).toBe('worker')
  // Each node is a real Web Worker.
  const workers = page.workers().map((w) => w.url())
  expect(workers.filter((u) => u.includes('nodeWorker')).length).toBeGreaterThanOrEqual(3)

  const value = await page.evaluate(async () => {
    const c = window.playground.cluster!
    await c.put(0, 'greeting', 'hello')
    return c.get(2, 'greeting')
  })
  expect(value).toBe('hello')

  await page.evaluate(() => window.playground.cluster!.kill('node_1'))
  await expect(page.getByTestId('db-node-node_1')).toHaveAttribute('data-status', 'down')
  await shot(page, info, 'node_1-down')

  await page.evaluate(() => window.playground.cluster!.restart('node_1'))
  await expect(page.getByTestId('db-node-node_1')).toHaveAttribute('data-status', 'up')
  // The restarted node recovered its data from IndexedDB.
  expect(
    await page.evaluate(() => window.playground.cluster!.get('node_1', 'greeting', { level: 'ONE' })),
  ).toBe('hello')
  await shot(page, info, 'node_1-up-again')
})

test('bad input gets coded errors and the cluster keeps working', async ({ page }) => {
  await ready(page)
  const codes = await page.evaluate(async () => {
    const c = window.playground.cluster!
    const code = async (f: () => Promise<unknown>): Promise<string> => {
      try {
        await f()
        return 'ok'
      } catch (e) {
        return (e as { code?: string }).code ?? `uncoded ${String(e)}`
      }
    }
    return {
      unknownNode: await code(() => c.put(9, 'k', 'v')),
      badKey: await code(() => c.put(0, 42 as unknown as string, 'v')),
      badConfig: await code(() =>
        window.playground.createCluster({ numNodes: 3, replicationFactor: 3, writeQuorum: 4 }),
      ),
      stillWorks: await code(() => c.put(0, 'k', 'v')),
    }
  })
  expect(codes).toEqual({
    unknownNode: 'UNKNOWN_NODE',
    badKey: 'BAD_INPUT',
    badConfig: 'BAD_CONFIG',
    stillWorks: 'ok',
  })
})

test('reloading the page resumes the cluster from IndexedDB', async ({ page }) => {
  await ready(page)
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    for (let i = 0; i < 50; i++) await c.put(i % 3, `persist-${i}`, `value-${i}`)
    await c.settle()
  })
  await page.reload()
  await page.waitForFunction(() => window.playground?.ready === true)
  const values = await page.evaluate(async () => {
    const c = window.playground.cluster!
    const out: Array<string | null> = []
    for (const i of [0, 17, 49]) out.push(await c.get(i % 3, `persist-${i}`))
    return out
  })
  expect(values).toEqual(['value-0', 'value-17', 'value-49'])
})

test('a node killed with worker.terminate() mid-load comes back with every acknowledged write and drains its replication log', async ({
  page,
}, info) => {
  await ready(page)
  // Every node holds every key (N = 3 of 3): node_0 must have each write it acknowledged itself.
  await page.evaluate(() => window.playground.createCluster({ numNodes: 3 }))
  await expect(page.locator('[data-testid^="db-node-"]')).toHaveCount(3)
  const result = await page.evaluate(async () => {
    const c = window.playground.cluster!
    await c.pause('node_2') // node_0's replication log to node_2 fills up while it is frozen
    const acked: string[] = []
    const writes: Array<Promise<unknown>> = []
    const put = (i: number): Promise<unknown> =>
      c.put(0, `load-${i}`, `v${i}`, { level: 'ONE' }).then(
        () => acked.push(`load-${i}`),
        () => {},
      )
    for (let i = 0; i < 150; i++) writes.push(put(i))
    await Promise.all(writes)
    for (let i = 150; i < 300; i++) {
      writes.push(put(i))
      if (i === 200) await c.kill('node_0') // the coordinator dies mid-load, for real
    }
    await Promise.all(writes)
    await c.restart('node_0')
    const backlogAfterRestart = ((await c.inspect('node_0')).replog as { size: number }).size
    const missing: string[] = []
    for (const k of acked) if ((await c.get('node_0', k, { level: 'ONE' })) === null) missing.push(k)
    await c.resume('node_2')
    await c.settle()
    const backlogAfterSettle = ((await c.inspect('node_0')).replog as { size: number }).size
    const onNode2 = await c.get('node_2', acked[acked.length - 1], { level: 'ONE' })
    return { acked: acked.length, missing, backlogAfterRestart, backlogAfterSettle, onNode2 }
  })
  expect(result.acked).toBeGreaterThan(100)
  expect(result.missing).toEqual([])
  expect(result.backlogAfterRestart).toBeGreaterThan(0)
  expect(result.backlogAfterSettle).toBe(0)
  expect(result.onNode2).not.toBeNull()
  await shot(page, info, 'after-crash-recovery')
})
