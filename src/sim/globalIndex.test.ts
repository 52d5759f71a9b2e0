/** Global indexes in the simulator: entries partitioned by (field, value), asked at their owners only. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

const doc = (o: Record<string, unknown>): string => JSON.stringify(o)

describe('global indexes', () => {
  it('one owner set per value; globalQuery asks only those owners; updates and deletes move entries', async () => {
    const c = await createSimCluster({
      numNodes: 5,
      replicationFactor: 2,
      globalIndexFields: ['age'],
      seed: 1,
    })
    await c.put(0, 'u1', doc({ age: 30 }))
    await c.put(3, 'u2', doc({ age: 30 }))
    await c.put(4, 'u3', doc({ age: 40 }))
    const owners = c.getIndexOwner('age', 30)
    expect(owners).toHaveLength(2)
    const d = await c.globalQueryDetails('age', 30)
    expect(d.keys).toEqual(['u1', 'u2'])
    expect(d.answered.every((a) => owners.includes(a.node))).toBe(true)
    // The entries are rows held by the owners only (no scatter-gather: other nodes have none).
    for (const n of c.nodes) {
      const rows = (await c.scan(n.id, { limit: 1000 })).rows.filter((r) => r.key.startsWith('~gidx~age~30|'))
      expect(rows.length > 0).toBe(owners.includes(n.id))
    }
    await c.put(1, 'u1', doc({ age: 31 }))
    expect(await c.globalQuery('age', 30)).toEqual(['u2'])
    expect(await c.globalQuery('age', 31)).toEqual(['u1'])
    await c.delete(2, 'u2')
    expect(await c.globalQuery('age', 30)).toEqual([])
    // Entry rows never show up as records.
    expect((await c.listRecords()).map((r) => r[0])).toEqual(['u1', 'u3'])
    await c.shutdown()
  })

  it('replicated like data: survives an owner kill, and is there again after its restart', async () => {
    const c = await createSimCluster({
      numNodes: 4,
      replicationFactor: 3,
      globalIndexFields: ['team'],
      seed: 2,
    })
    for (let i = 0; i < 6; i++) await c.put(i % 4, `m${i}`, doc({ team: i % 2 ? 'b' : 'a' }))
    const [first] = c.getIndexOwner('team', 'a')
    await c.kill(first)
    expect(await c.globalQuery('team', 'a')).toEqual(['m0', 'm2', 'm4'])
    await c.restart(first)
    await c.settle()
    const d = await c.globalQueryDetails('team', 'a', { level: 'ALL' })
    expect(d.keys).toEqual(['m0', 'm2', 'm4'])
    expect(d.answered.map((a) => a.node)).toContain(first)
    await c.shutdown()
  })

  it('bad input: a field without a global index; a reserved key', async () => {
    const c = await createSimCluster({ numNodes: 2, globalIndexFields: ['age'], seed: 3 })
    expect(() => c.getIndexOwner('name', 'x')).toThrow(/BAD_INPUT/)
    await expect(c.globalQuery('name', 'x')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.put(0, '~gidx~age~30|u9', 'x')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await c.put(0, 'n', 'not json') // stored, no entry
    expect(await c.get(0, 'n')).toBe('not json')
    await c.shutdown()
  })

  it('an entry write that fails is counted, the data write stands (range strategy: ~gidx outside every range)', async () => {
    const c = await createSimCluster({
      numNodes: 2,
      replicationFactor: 1,
      partitionStrategy: 'range',
      keyRanges: [['a', 'z']],
      globalIndexFields: ['age'],
      seed: 4,
    })
    expect(c.globalIndexErrors).toBe(0)
    await c.put(0, 'u1', doc({ age: 30 }))
    expect(await c.get(1, 'u1')).toBe(doc({ age: 30 }))
    expect(c.globalIndexErrors).toBe(1)
    await c.shutdown()
  })
})
