/**
 * Membership changes in the worker runtime (real workers, real IndexedDB): at N = 1 every key a new
 * node takes over, or a leaving node held, is streamed to its new owner before the new ring is used.
 */
import { expect, test } from '@playwright/test'

test('N = 1: addNode and removeNode keep every key readable (hand-over before the new ring)', async ({
  page,
}) => {
  await page.goto('./')
  await page.waitForFunction(() => window.playground?.ready === true)
  const result = await page.evaluate(async () => {
    const c = await window.playground.createCluster({
      runtime: 'worker',
      numNodes: 3,
      replicationFactor: 1,
      dbPrefix: `handover-${Date.now()}`,
      antiEntropyIntervalMs: 0,
    })
    const keys = Array.from({ length: 60 }, (_, i) => `key-${i}`)
    for (const k of keys) await c.put(0, k, `v-${k}`)
    const missing = async (): Promise<string[]> => {
      const out: string[] = []
      for (const k of keys) if ((await c.get(1, k)) !== `v-${k}`) out.push(k)
      return out
    }
    const added = await c.addNode()
    const afterAdd = await missing()
    const moved = (await c.scan(added, { limit: 1000 })).rows.length
    await c.removeNode('node_0')
    const afterRemove = await missing()
    return { added, afterAdd, moved, afterRemove, members: c.nodes.map((n) => n.id) }
  })
  expect(result.added).toBe('node_3')
  expect(result.afterAdd).toEqual([])
  expect(result.moved).toBeGreaterThan(0)
  expect(result.afterRemove).toEqual([])
  expect(result.members).toEqual(['node_1', 'node_2', 'node_3'])
})
