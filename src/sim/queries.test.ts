/** Composite keys, getRange and listRecords in the simulator (the seed's assertions, issue #15). */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

describe('composite keys and getRange', () => {
  it("the seed's calls: put(0, 'user1', '001', 'Alice'), get(1, 'user1', '001'), getRange", async () => {
    const c = await createSimCluster({ numNodes: 2, partitionStrategy: 'hash', seed: 1 })
    await c.put(0, 'user1', '001', 'Alice')
    await c.put(0, 'user1', '002', 'Bob')
    expect(await c.get(1, 'user1', '001')).toBe('Alice')
    expect(await c.get(1, 'user1|002')).toBe('Bob') // the plain form names the composed key
    expect(await c.getRange('user1', '000', '999')).toEqual([
      ['001', 'Alice'],
      ['002', 'Bob'],
    ])
    // The plain 4-argument form still takes options.
    await c.put(1, 'plain', 'v', { level: 'ALL' })
    expect(await c.get(0, 'plain', { level: 'ONE' })).toBe('v')
    expect(c.getPartitionId('user1', '001')).toBe(c.getPartitionId('user1', '777'))
    await c.shutdown()
  })

  it("getRange('alpha','a','c') → a, b, c: inclusive bounds, clustering order, tombstones hidden", async () => {
    const c = await createSimCluster({ numNodes: 5, replicationFactor: 3, seed: 2 })
    for (const ck of ['d', 'c', 'b', 'a', 'x']) await c.put(0, 'alpha', ck, `v${ck}`)
    await c.put(0, 'alphabet', 'a', 'other partition')
    await c.put(0, 'alpha', 'x', 'gone')
    await c.delete(1, 'alpha', 'x')
    expect(await c.getRange('alpha', 'a', 'c')).toEqual([
      ['a', 'va'],
      ['b', 'vb'],
      ['c', 'vc'],
    ])
    expect(await c.getRange('alpha', 'a', 'z', { level: 'ALL', via: 4 })).toEqual([
      ['a', 'va'],
      ['b', 'vb'],
      ['c', 'vc'],
      ['d', 'vd'],
    ])
    expect(await c.getRange('alpha', 'a', 'z', { limit: 2 })).toEqual([
      ['a', 'va'],
      ['b', 'vb'],
    ])
    await c.shutdown()
  })

  it('newest version per row wins across replicas, and the stale replica is repaired', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 3 })
    await c.put(0, 'p', 'k', 'old', { level: 'ALL' })
    c.partition([[0, 1], [2]])
    await c.put(0, 'p', 'k', 'new', { level: 'QUORUM' })
    c.heal()
    // Node 2 holds only 'old'; at ALL its answer is outvoted by the newer version.
    expect(await c.getRange('p', 'a', 'z', { level: 'ALL', via: 2 })).toEqual([['k', 'new']])
    const stats = (await c.inspect(2)).stats as { readRepairs: number }
    expect(stats.readRepairs).toBeGreaterThan(0)
    await c.settle()
    expect(await c.get(2, 'p', 'k', { level: 'ONE' })).toBe('new')
    await c.shutdown()
  })

  it('bad input is coded and changes nothing', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 4 })
    await expect(c.getRange('p', 'c', 'a')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.getRange('a|b', 'a', 'c')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.getRange('p', 'a', 'c', { level: 'ANY' })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.getRange('p', 'a', 'c', { limit: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.listRecords({ offset: -1 })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.listRecords({ limit: -5 })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.put(0, 'a|b', 'c', 'v')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    expect(await c.listRecords()).toEqual([])
    await c.shutdown()
  })

  it('a range read below quorum fails QUORUM_NOT_MET naming who answered', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 5 })
    await c.put(0, 'p', 'a', '1')
    await c.kill(1)
    await c.kill(2)
    await expect(c.getRange('p', 'a', 'z', { via: 0 })).rejects.toMatchObject({ code: 'QUORUM_NOT_MET' })
    expect(await c.getRange('p', 'a', 'z', { via: 0, level: 'ONE' })).toEqual([['a', '1']])
    await c.shutdown()
  })
})

describe('listRecords', () => {
  it('merges every live node, newest per key, no tombstones; filter and offset paging', async () => {
    const c = await createSimCluster({ numNodes: 3, replicationFactor: 1, seed: 6 })
    for (let i = 0; i < 12; i++) await c.put(0, `user${i % 3}`, `${i}`.padStart(3, '0'), `name${i}`)
    await c.put(0, 'plain', 'p')
    await c.delete(0, 'user0', '000')
    const all = await c.listRecords({ limit: 100 })
    expect(all).toHaveLength(12)
    expect(all[0]).toEqual(['plain', null, 'p'])
    expect(all.some(([pk, ck]) => pk === 'user0' && ck === '000')).toBe(false)
    expect(await c.listRecords({ query: 'name1' })).toEqual([
      ['user1', '001', 'name1'],
      ['user1', '010', 'name10'],
      ['user2', '011', 'name11'],
    ])
    const page1 = await c.listRecords({ offset: 0, limit: 5 })
    const page2 = await c.listRecords({ offset: 5, limit: 5 })
    expect([...page1, ...page2]).toEqual(all.slice(0, 10))
    await c.shutdown()
  })

  it('a down node is skipped, not an error (the seed: node_2 down → only its rows missing)', async () => {
    const c = await createSimCluster({ numNodes: 3, replicationFactor: 1, seed: 7 })
    for (let i = 0; i < 30; i++) await c.put(0, `k${i}`, `v${i}`)
    const before = await c.listRecords({ limit: 1000 })
    expect(before).toHaveLength(30)
    const onNode2 = (await c.scan(2, { limit: 1000 })).rows.map((r) => r.key)
    expect(onNode2.length).toBeGreaterThan(0)
    await c.kill(2)
    const page = await c.listRecordsPage({ limit: 1000 })
    expect(page.skipped).toEqual(['node_2'])
    expect(page.records.map((r) => r[0]).sort()).toEqual(
      before
        .map((r) => r[0])
        .filter((k) => !onNode2.includes(k))
        .sort(),
    )
    await c.shutdown()
  })
})
