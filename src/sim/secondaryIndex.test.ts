/** Secondary indexes in the simulator: the seed's assertions and every apply path (issue #15). */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

const doc = (o: Record<string, unknown>): string => JSON.stringify(o)

describe('secondary indexes', () => {
  it('age 30 → [u1]; after u1 → 31: 30 → [] and 31 → [u1]; after delete → [] (local and replicated)', async () => {
    const c = await createSimCluster({ numNodes: 3, indexFields: ['age', 'name'], seed: 1 })
    await c.put(0, 'u1', doc({ name: 'alice', age: 30 }), { level: 'ALL' })
    for (const n of [0, 1, 2]) expect(await c.queryIndex(n, 'age', 30)).toEqual(['u1'])
    expect(await c.queryIndex(2, 'name', 'alice')).toEqual(['u1'])
    await c.put(1, 'u1', doc({ name: 'alice', age: 31 }), { level: 'ALL' })
    for (const n of [0, 1, 2]) {
      expect(await c.queryIndex(n, 'age', 30)).toEqual([])
      expect(await c.queryIndex(n, 'age', 31)).toEqual(['u1'])
    }
    await c.delete(2, 'u1', { level: 'ALL' })
    for (const n of [0, 1, 2]) expect(await c.queryIndex(n, 'age', 31)).toEqual([])
    await c.shutdown()
  })

  it("secondaryQuery: p1 via node 0, p2 via node 1 → ['p1', 'p2'] (scatter-gather, union, sorted)", async () => {
    const c = await createSimCluster({ numNodes: 2, replicationFactor: 1, indexFields: ['color'], seed: 2 })
    await c.put(1, 'p2', doc({ color: 'red' }))
    await c.put(0, 'p1', doc({ color: 'red' }))
    await c.put(0, 'p3', doc({ color: 'blue' }))
    expect(await c.secondaryQuery('color', 'red')).toEqual(['p1', 'p2'])
    const d = await c.secondaryQueryDetails('color', 'red')
    expect(d.answered.map((a) => a.node)).toEqual(['node_0', 'node_1'])
    await c.kill(1)
    const partial = await c.secondaryQueryDetails('color', 'red')
    expect(partial.skipped).toEqual(['node_1'])
    await c.shutdown()
  })

  it('is rebuilt on restart from storage (memtable, WAL and tables)', async () => {
    const c = await createSimCluster({ numNodes: 1, indexFields: ['name'], memtableBytesMax: 1024, seed: 3 })
    for (let i = 0; i < 40; i++)
      await c.put(0, `k${i}`, doc({ name: i % 2 ? 'odd' : 'even', pad: 'x'.repeat(40) }))
    await c.put(0, 'k1', doc({ name: 'even' }))
    await c.delete(0, 'k3')
    const before = await c.queryIndex(0, 'name', 'odd')
    expect(before).toHaveLength(18)
    await c.kill(0)
    await c.restart(0)
    expect(await c.queryIndex(0, 'name', 'odd')).toEqual(before)
    expect((await c.queryIndex(0, 'name', 'even')).length).toBe(21)
    await c.shutdown()
  })

  it('follows hinted handoff and read repair (every path ends in one durable-rows callback)', async () => {
    const c = await createSimCluster({ numNodes: 3, indexFields: ['name'], seed: 4 })
    await c.kill(2)
    await c.put(0, 'h', doc({ name: 'hinted' }), { level: 'QUORUM' })
    await c.restart(2)
    await c.settle()
    expect(await c.queryIndex(2, 'name', 'hinted')).toEqual(['h'])
    // Read repair: node 2 misses a write (partitioned, no hint replay yet), a read at ALL repairs it.
    c.partition([[0, 1], [2]])
    await c.put(0, 'r', doc({ name: 'repaired' }))
    c.heal()
    await c.read(2, 'r', { level: 'ALL' })
    expect(await c.queryIndex(2, 'name', 'repaired')).toEqual(['r'])
    await c.shutdown()
  })

  it('bad input: a field that is not indexed is BAD_INPUT; a non-JSON value is stored, not indexed, counted', async () => {
    const c = await createSimCluster({ numNodes: 1, indexFields: ['name'], seed: 5 })
    await expect(c.queryIndex(0, 'age', 1)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.secondaryQuery('age', 1)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await c.put(0, 'raw', 'not json')
    await c.put(0, 'arr', '[1,2]')
    expect(await c.get(0, 'raw')).toBe('not json')
    expect(await c.queryIndex(0, 'name', 'not json')).toEqual([])
    const q = (await c.inspect(0)).queries as { index: { unindexable: number } }
    expect(q.index.unindexable).toBe(2)
    const plain = await createSimCluster({ numNodes: 1, seed: 5 })
    await expect(plain.queryIndex(0, 'name', 'x')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await plain.shutdown()
    await c.shutdown()
  })
})
