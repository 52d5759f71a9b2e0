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

  it("refuses keys that merge: every key in 'vector' mode, crdtConfig keys in 'crdt' (coded, nothing salted)", async () => {
    const v = await createSimCluster({ ...HASH, seed: 103, consistencyMode: 'vector' })
    expect(() => v.enableSalt('cart', 4)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    await expect(v.markHotKey('cart', 4)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      details: { reason: 'salting-merging-key' },
    })
    for (let i = 0; i < 6; i++) await v.put(0, 'cart', `c${i}`)
    expect(await v.checkHotKeys(4, 4)).toEqual([]) // auto-salting skips it
    const r = await v.read(1, 'cart', { level: 'ALL' })
    expect(r.siblings.length).toBe(6) // one key: every sibling is in its set
    await v.shutdown()
    const c = await createSimCluster({
      ...HASH,
      seed: 104,
      consistencyMode: 'crdt',
      crdtConfig: { likes: 'gcounter' },
    })
    expect(() => c.enableSalt('likes', 4)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    c.enableSalt('plain', 4) // a key outside crdtConfig is LWW: salting works as in 'lww'
    await c.put(0, 'plain', 'p')
    expect(await c.get(1, 'plain')).toBe('p')
    await c.shutdown()
  })
})
