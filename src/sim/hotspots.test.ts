import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

describe('hot-spot metrics (the seed’s partition_ops and key_freq)', () => {
  it('put + get + delete of one key count 3 on its partition and on the key', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 80, partitionStrategy: 'hash', numPartitions: 6 })
    c.resetMetrics()
    await c.put(0, 'k', 'v')
    await c.get(1, 'k')
    await c.delete(2, 'k')
    const pid = c.getPartitionId('k')
    const stats = c.getPartitionStats()
    expect(stats[pid]).toBe(3)
    expect(Object.values(stats).reduce((a, b) => a + b, 0)).toBe(3)
    expect(c.getHotKeys()).toEqual([['k', 3]])
    await c.shutdown()
  })

  it('ten puts of one key make its partition hot (> 2 × the mean) and it tops the hot keys', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 81, partitionStrategy: 'hash', numPartitions: 6 })
    for (let i = 0; i < 10; i++) await c.put(0, 'hot', 'x')
    await c.put(0, 'cold', 'y')
    expect(c.getHotPartitions()).toEqual([c.getPartitionId('hot')])
    expect(c.getHotKeys(1)).toEqual([['hot', 10]])
    c.resetMetrics()
    expect(c.getHotPartitions()).toEqual([])
    expect(c.getHotKeys()).toEqual([])
    await expect(async () => c.getHotPartitions(0)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await c.shutdown()
  })

  it('item counts per partition merge every live node’s rows, without tombstones', async () => {
    const c = await createSimCluster({
      numNodes: 2,
      seed: 82,
      replicationFactor: 1,
      partitionStrategy: 'range',
      keyRanges: [
        ['a', 'm'],
        ['m', null],
      ],
    })
    for (const k of ['apple', 'banana', 'mango', 'pear', 'zz']) await c.put(0, k, k)
    await c.delete(0, 'zz')
    expect(await c.getPartitionItemCounts()).toEqual({ 0: 2, 1: 2 })
    await c.shutdown()
  })
})
