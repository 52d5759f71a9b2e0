import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

const HASH = {
  numNodes: 3,
  replicationFactor: 1,
  partitionStrategy: 'hash' as const,
  antiEntropyIntervalMs: 0,
}

describe('salting hot keys', () => {
  it('enableSalt: writes spread over variants on more than one node; reads return the newest (20 writes → v19)', async () => {
    const c = await createSimCluster({ ...HASH, seed: 100 })
    c.enableSalt('hotkey', 4)
    await c.put(0, 'hotkey', 'value')
    expect(await c.get(1, 'hotkey')).toBe('value')
    for (let i = 0; i < 20; i++) await c.put(i % 3, 'hotkey', `v${i}`)
    expect(await c.get(2, 'hotkey')).toBe('v19')
    const owners = new Set(
      [0, 1, 2, 3].map((i) => c.getPartitionMap().partitions[c.getPartitionId(`${i}#hotkey`)].node),
    )
    expect(owners.size).toBeGreaterThan(1)
    // ignoreSalt reads the plain key only (never written since salting began).
    expect(await c.get(0, 'hotkey', { ignoreSalt: true })).toBeNull()
    await c.delete(0, 'hotkey')
    expect(await c.get(1, 'hotkey')).toBeNull()
    await c.shutdown()
  })

  it('markHotKey migrates the current value; checkHotKeys: 4 ops → not salted, 5 → salted', async () => {
    const c = await createSimCluster({ ...HASH, seed: 101 })
    await c.put(0, 'old', 'before')
    await c.markHotKey('old', 3, true)
    for (let i = 0; i < 3; i++) expect(await c.get(0, `${i}#old`, { ignoreSalt: true })).toBe('before')
    c.resetMetrics()
    for (let i = 0; i < 4; i++) await c.put(0, 'warm', `w${i}`)
    expect(await c.checkHotKeys(4, 4)).toEqual([])
    await c.put(0, 'warm', 'w4')
    expect(await c.checkHotKeys(4, 4)).toEqual(['warm'])
    expect(await c.get(1, 'warm')).toBe('w4')
    await c.put(1, 'warm', 'w5')
    expect(await c.get(2, 'warm')).toBe('w5')
    expect(() => c.enableSalt('x', 1)).toThrow(/buckets/)
    await c.shutdown()
  })

  it('a salted key stays readable after removeNode and addNode', async () => {
    const c = await createSimCluster({ ...HASH, seed: 102, numNodes: 4 })
    c.enableSalt('hot', 4)
    for (let i = 0; i < 8; i++) await c.put(0, 'hot', `h${i}`)
    await c.removeNode('node_0')
    expect(await c.get(1, 'hot')).toBe('h7')
    await c.addNode()
    expect(await c.get(2, 'hot')).toBe('h7')
    await c.shutdown()
  })
})
