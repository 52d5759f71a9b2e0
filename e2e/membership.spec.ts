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

test('N = 1: a partition moved away from a down node is handed over when it restarts; the driver follows add and split', async ({
  page,
}) => {
  await page.goto('./')
  await page.waitForFunction(() => window.playground?.ready === true)
  const result = await page.evaluate(async () => {
    const c = await window.playground.createCluster({
      runtime: 'worker',
      numNodes: 3,
      replicationFactor: 1,
      partitionStrategy: 'range',
      keyRanges: [
        ['a', 'h'],
        ['h', 'p'],
        ['p', null],
      ],
      dbPrefix: `owed-${Date.now()}`,
      antiEntropyIntervalMs: 0,
    })
    const d = window.playground.createDriver(c)
    const keys = ['apple', 'banana', 'kiwi', 'lime', 'pear', 'quince']
    for (const k of keys) await d.put('u', k, `v-${k}`)
    // Partition 1 (['h','p')) lives on node_1 only; move it while node_1 is down.
    await c.kill('node_1')
    await c.transferPartition('node_1', 'node_2', 1)
    await c.restart('node_1')
    const read = async (): Promise<Array<string | null>> => Promise.all(keys.map((k) => c.get(0, k)))
    let values = await read()
    for (let i = 0; i < 50 && values.some((v, j) => v !== `v-${keys[j]}`); i++) {
      await new Promise((r) => setTimeout(r, 100))
      values = await read()
    }
    await c.addNode()
    const afterAdd = JSON.stringify(d.map) === JSON.stringify(c.getPartitionMap())
    await c.splitPartition(0, 'b')
    const afterSplit = JSON.stringify(d.map) === JSON.stringify(c.getPartitionMap())
    const viaDriver = await Promise.all(keys.map((k) => d.get('u', k)))
    d.close()
    return { values, afterAdd, afterSplit, viaDriver, parts: c.getPartitionMap().partitions.length }
  })
  const expected = ['apple', 'banana', 'kiwi', 'lime', 'pear', 'quince'].map((k) => `v-${k}`)
  expect(result.values).toEqual(expected)
  expect(result.afterAdd).toBe(true)
  expect(result.afterSplit).toBe(true)
  expect(result.parts).toBe(4)
  expect(result.viaDriver).toEqual(expected)
})
