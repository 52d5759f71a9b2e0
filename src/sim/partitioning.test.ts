import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

describe('partition strategies (ring, hash, range) on a running cluster', () => {
  it('hash: 3 nodes, 6 partitions; writes land on the partition owners, anti-entropy repairs per partition', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 70,
      replicationFactor: 2,
      partitionStrategy: 'hash',
      numPartitions: 6,
      antiEntropyIntervalMs: 0,
    })
    const map = c.getPartitionMap()
    expect(map.strategy).toBe('hash')
    expect(map.partitions.map((p) => p.node)).toEqual([
      'node_0',
      'node_1',
      'node_2',
      'node_0',
      'node_1',
      'node_2',
    ])
    for (let i = 0; i < 30; i++) await c.put(i % 3, `user${i}`, `v${i}`)
    await c.settle()
    for (let i = 0; i < 30; i++) {
      const pid = c.getPartitionId(`user${i}`)
      for (const owner of map.partitions[pid].replicas)
        expect((await c.drive(c.liveNode(owner).localRow(`user${i}`)))?.value).toBe(`v${i}`)
    }
    // Merkle trees per partition: a replica that missed writes is repaired.
    await c.kill(1)
    for (let i = 0; i < 30; i++) await c.put(0, `user${i}`, `w${i}`, { level: 'ONE' })
    await c.restart(1)
    for (const i of [0, 2]) await c.antiEntropy(i)
    await c.settle()
    for (let i = 0; i < 30; i++) expect(await c.get(1, `user${i}`, { level: 'ALL' })).toBe(`w${i}`)
    await c.shutdown()
  })

  it("range: the seed's [['a','m'],['m', null]] — 'm' goes to the second range's node", async () => {
    const c = await createSimCluster({
      numNodes: 2,
      seed: 71,
      replicationFactor: 1,
      partitionStrategy: 'range',
      keyRanges: [
        ['a', 'm'],
        ['m', null],
      ],
    })
    expect(c.getPartitionId('m')).toBe(1)
    expect(c.getPartitionId('apple')).toBe(0)
    await c.put(0, 'm', 'boundary')
    await c.put(0, 'apple', 'first')
    expect((await c.drive(c.liveNode(1).localRow('m')))?.value).toBe('boundary')
    expect(await c.drive(c.liveNode(0).localRow('m'))).toBeNull()
    expect((await c.drive(c.liveNode(0).localRow('apple')))?.value).toBe('first')
    await expect(c.put(0, 'A-before-a', 'x')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await c.shutdown()
  })

  it('hash and range clusters hand partitions over on addNode and removeNode at N = 1', async () => {
    for (const strategy of ['hash', 'range'] as const) {
      const c = await createSimCluster({
        numNodes: 3,
        seed: 72,
        replicationFactor: 1,
        partitionStrategy: strategy,
        ...(strategy === 'range'
          ? {
              keyRanges: [
                ['a', 'k-3'],
                ['k-3', 'k-6'],
                ['k-6', 'k-9'],
                ['k-9', null],
              ] as Array<[string, string | null]>,
            }
          : { numPartitions: 12 }),
      })
      const keys = Array.from({ length: 60 }, (_, i) => `k-${i}`)
      for (const k of keys) await c.put(0, k, `v-${k}`)
      const before = c.getPartitionMap()
      await c.addNode()
      const after = c.getPartitionMap()
      expect(after.version).toBe(before.version + 1)
      expect(after.partitions.some((p) => p.node === 'node_3')).toBe(true)
      for (const k of keys) expect(await c.get(1, k), `${strategy} ${k} after add`).toBe(`v-${k}`)
      await c.removeNode('node_0')
      expect(c.getPartitionMap().partitions.some((p) => p.node === 'node_0')).toBe(false)
      for (const k of keys) expect(await c.get(1, k), `${strategy} ${k} after remove`).toBe(`v-${k}`)
      await c.shutdown()
    }
  })

  it('bad partitioning options are BAD_CONFIG', async () => {
    const bad = [
      { partitionStrategy: 'range' },
      { partitionStrategy: 'range', keyRanges: [['m', 'a']] },
      { partitionStrategy: 'hash', numPartitions: 2, replicationFactor: 2 },
      { numPartitions: 8 },
      { partitionStrategy: 'shard' },
    ]
    for (const opts of bad)
      await expect(createSimCluster({ numNodes: 3, ...(opts as object) })).rejects.toMatchObject({
        code: 'BAD_CONFIG',
      })
  })
})
