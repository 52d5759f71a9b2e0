import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { ClusterOptions } from '../cluster/types'

const RANGE: Omit<ClusterOptions, 'runtime'> = {
  numNodes: 3,
  seed: 90,
  replicationFactor: 1,
  partitionStrategy: 'range',
  keyRanges: [
    ['a', 'm'],
    ['m', null],
  ],
  antiEntropyIntervalMs: 0,
}

describe('split, merge, transfer and rebalance (data first, then the map)', () => {
  it("splitPartition(0, 'g') makes ['a','g') and ['g','m'); rows from 'g' move to the new partition's node", async () => {
    const c = await createSimCluster(RANGE)
    const keys = ['apple', 'fig', 'grape', 'kiwi', 'lemon', 'mango', 'zest']
    for (const k of keys) await c.put(0, k, `v-${k}`)
    const res = await c.splitPartition(0, 'g')
    expect(res).toEqual({ left: 0, right: 1, splitKey: 'g' })
    const map = c.getPartitionMap()
    expect(map.partitions.map((p) => [p.start, p.end])).toEqual([
      ['a', 'g'],
      ['g', 'm'],
      ['m', null],
    ])
    // The new partition went to the node that held none (node_2).
    expect(map.partitions[1].node).toBe('node_2')
    for (const k of ['grape', 'kiwi', 'lemon'])
      expect((await c.drive(c.liveNode('node_2').localRow(k)))?.value).toBe(`v-${k}`)
    for (const k of keys) expect(await c.get(1, k)).toBe(`v-${k}`)
    await c.shutdown()
  })

  it('checkHotPartitions splits 2 → 3 partitions and checkColdPartitions merges 3 → 2, values kept', async () => {
    const c = await createSimCluster(RANGE)
    for (const k of ['alpha', 'bravo', 'charlie', 'delta'])
      for (let i = 0; i < 5; i++) await c.put(0, k, `${k}${i}`)
    await c.put(0, 'zulu', 'z')
    expect(await c.checkHotPartitions(1.5, 2)).toEqual([0])
    expect(c.getPartitionMap().partitions).toHaveLength(3)
    for (const k of ['alpha', 'bravo', 'charlie', 'delta']) expect(await c.get(0, k)).toBe(`${k}4`)
    // Metrics were reset by the split; now only the last partition is used.
    for (let i = 0; i < 10; i++) await c.get(0, 'zulu')
    expect(await c.checkColdPartitions(0.5, 2)).toEqual([[0, 1]])
    expect(c.getPartitionMap().partitions).toHaveLength(2)
    for (const k of ['alpha', 'bravo', 'charlie', 'delta']) expect(await c.get(2, k)).toBe(`${k}4`)
    expect(await c.get(2, 'zulu')).toBe('z')
    await c.shutdown()
  })

  it('mergePartitions moves the rows to the surviving owner; transferPartition and rebalance move data first', async () => {
    const c = await createSimCluster({ ...RANGE, numNodes: 2 })
    for (const k of ['apple', 'mango', 'zest']) await c.put(0, k, k)
    await c.mergePartitions(0, 1)
    expect(c.getPartitionMap().partitions).toEqual([
      expect.objectContaining({ start: 'a', end: null, node: 'node_0' }),
    ])
    expect((await c.drive(c.liveNode(0).localRow('mango')))?.value).toBe('mango')
    await c.transferPartition(0, 1, 0)
    expect(c.getPartitionMap().partitions[0].node).toBe('node_1')
    for (const k of ['apple', 'mango', 'zest'])
      expect((await c.drive(c.liveNode(1).localRow(k)))?.value).toBe(k)
    const h = await createSimCluster({
      numNodes: 3,
      seed: 91,
      replicationFactor: 1,
      partitionStrategy: 'hash',
      numPartitions: 9,
    })
    for (let i = 0; i < 30; i++) await h.put(0, `k${i}`, `v${i}`)
    for (const pid of [0, 3, 6]) await h.transferPartition(0, 1, pid)
    await h.rebalance()
    const per = new Map<string, number>()
    for (const p of h.getPartitionMap().partitions) per.set(p.node, (per.get(p.node) ?? 0) + 1)
    expect([...per.values()].sort()).toEqual([3, 3, 3])
    for (let i = 0; i < 30; i++) expect(await h.get(2, `k${i}`)).toBe(`v${i}`)
    await c.shutdown()
    await h.shutdown()
  })

  it('maxTransferRate: moving B bytes takes at least B / rate (virtual time)', async () => {
    const c = await createSimCluster({ ...RANGE, numNodes: 2, maxTransferRate: 2000 })
    for (let i = 0; i < 40; i++) await c.put(0, `b${String(i).padStart(2, '0')}`, 'x'.repeat(100))
    const t0 = c.sim.nowMs
    await c.transferPartition(0, 1, 0)
    const elapsedMs = c.sim.nowMs - t0
    // 40 rows of ~145 bytes = ~5.8 KB at 2 KB/s, then the catch-up pass streams them again.
    expect(elapsedMs).toBeGreaterThanOrEqual(2900)
    expect(() => c.setMaxTransferRate(0)).toThrow(/maxTransferRate/)
    await c.shutdown()
  })

  it('a write acknowledged while the rows stream reaches the new owner (catch-up pass)', async () => {
    const c = await createSimCluster({ ...RANGE, numNodes: 2, maxTransferRate: 2000 })
    for (let i = 0; i < 40; i++) await c.put(0, `b${String(i).padStart(2, '0')}`, 'x'.repeat(100))
    const move = c.transferPartition(0, 1, 0)
    // Mid-stream (the rows were scanned, ~2.9 s of pacing remain): the write lands on the old owner.
    const late = new Promise<void>((resolve, reject) =>
      c.sim.schedule(1000, () => void c.put(0, 'a0', 'late').then(() => resolve(), reject)),
    )
    await Promise.all([move, late])
    expect((await c.drive(c.liveNode(1).localRow('a0')))?.value).toBe('late')
    expect(await c.get(1, 'a0')).toBe('late')
    await c.shutdown()
  })

  it('bad input is refused with a coded error and nothing moves', async () => {
    const c = await createSimCluster(RANGE)
    await c.put(0, 'kiwi', 'k')
    const before = c.getPartitionMap()
    await expect(c.splitPartition(0, 'z')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.splitPartition(9, 'b')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.mergePartitions(0, 0)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.transferPartition(2, 1, 0)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    expect(c.getPartitionMap()).toEqual(before)
    const h = await createSimCluster({ numNodes: 3, seed: 92, partitionStrategy: 'hash', numPartitions: 6 })
    await expect(h.splitPartition(0, 'g')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await c.shutdown()
    await h.shutdown()
  })
})
