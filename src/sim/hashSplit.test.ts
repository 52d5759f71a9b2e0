/** splitPartition on hash partitions: new writes redirect to the new partition, old rows move with them. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

describe('hash split', () => {
  it('at N = 1 and 2: the split-off keys move to the new owner first, every key reads, new writes land there', async () => {
    for (const replicationFactor of [1, 2]) {
      const c = await createSimCluster({
        numNodes: 3,
        replicationFactor,
        seed: 70 + replicationFactor,
        partitionStrategy: 'hash',
        numPartitions: 6,
        antiEntropyIntervalMs: 0,
      })
      const keys = Array.from({ length: 120 }, (_, i) => `key-${i}`)
      for (const k of keys) await c.put(0, k, `v-${k}`)
      const inZero = keys.filter((k) => c.getPartitionId(k) === 0)
      const oldOwner = c.getPartitionMap().partitions[0].node
      const out = await c.splitPartition(0)
      expect(out).toEqual({ left: 0, right: 6 })
      const map = c.getPartitionMap()
      expect(map.partitions).toHaveLength(7)
      expect(map.hashSplits).toEqual([0])
      const newOwner = map.partitions[6].node
      expect(newOwner).not.toBe(oldOwner)
      const moved = inZero.filter((k) => c.getPartitionId(k) === 6)
      expect(moved.length).toBeGreaterThan(0)
      expect(moved.length).toBeLessThan(inZero.length)
      // Only partition 0's keys changed partition.
      for (const k of keys) if (!inZero.includes(k)) expect(c.getPartitionId(k)).not.toBe(6)
      // No settle, no anti-entropy: the rows are already on the new owner, and every key reads.
      for (const k of moved)
        expect((await c.drive(c.liveNode(newOwner).localRow(k)))?.value, `N=${replicationFactor} ${k}`).toBe(
          `v-${k}`,
        )
      for (const k of keys) expect(await c.get(1, k), `N=${replicationFactor} ${k}`).toBe(`v-${k}`)
      // New writes go to the new partition's owners.
      const w = await c.put(2, moved[0], 'new')
      expect(w.acks.map((a) => a.node)).toContain(newOwner)
      expect(await c.get(0, moved[0])).toBe('new')
      await c.shutdown()
    }
  })

  it('writes acknowledged while the split streams are all readable afterwards (N = 1)', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      replicationFactor: 1,
      seed: 75,
      partitionStrategy: 'hash',
      numPartitions: 4,
      maxTransferRate: 1000,
    })
    for (let i = 0; i < 80; i++) await c.put(0, `k${i}`, 'x'.repeat(60))
    const acked = new Map<string, string>()
    const writes: Array<Promise<void>> = []
    for (let i = 0; i < 40; i++)
      writes.push(
        new Promise<void>((resolve) =>
          c.sim.schedule(50 * i, () => {
            const k = `k${(i * 7) % 80}`
            void c.put(i % 3, k, `late-${i}`).then(
              () => {
                acked.set(k, `late-${i}`)
                resolve()
              },
              () => resolve(),
            )
          }),
        ),
      )
    await c.splitPartition(1)
    await c.drive(Promise.all(writes)) // the writes scheduled after the split finished
    expect(acked.size).toBeGreaterThan(0)
    for (const [k, v] of acked) expect(await c.get(2, k), k).toBe(v)
    await c.shutdown()
  })

  it('checkHotPartitions splits a hot hash partition (by hash bits) and the values stay', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 76, partitionStrategy: 'hash', numPartitions: 6 })
    const hot = Array.from({ length: 40 }, (_, i) => `h${i}`).filter((k) => c.getPartitionId(k) === 3)
    for (const k of hot) await c.put(0, k, `v-${k}`)
    expect(await c.checkHotPartitions(2.0, 2)).toEqual([3])
    expect(c.getPartitionMap().partitions).toHaveLength(7)
    for (const k of hot) expect(await c.get(1, k)).toBe(`v-${k}`)
    await expect(c.splitPartition(0, 'g')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.splitPartition(7)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await c.shutdown()
  })
})
