/** 'crdt' mode on the simulator: state-based CRDTs merged on replication, read repair, hints and anti-entropy. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

const crdtConfig = {
  likes: 'gcounter',
  stock: 'pncounter',
  tags: 'orset',
  title: 'lwwregister',
  color: 'mvregister',
} as const

async function cluster(seed: number) {
  return createSimCluster({
    numNodes: 3,
    seed,
    consistencyMode: 'crdt',
    crdtConfig,
    antiEntropyIntervalMs: 0,
  })
}

const valueAt = async (c: Awaited<ReturnType<typeof cluster>>, i: number, key: string) =>
  (await c.read(i, key, { level: 'ONE' })).crdt?.value

describe("consistencyMode 'crdt'", () => {
  it("the seed's G-Counter: +1 on A and +2 on B give 3 on both; concurrent +1/+1 across a partition give 2", async () => {
    const c = await cluster(1)
    await c.applyCrdt(0, 'likes', { inc: 1 })
    await c.applyCrdt(1, 'likes', { inc: 2 })
    await c.settle()
    expect(await valueAt(c, 0, 'likes')).toBe(3)
    expect(await valueAt(c, 1, 'likes')).toBe(3)
    const r = await c.read(2, 'likes')
    expect(r.value).toBe('3')
    expect(r.crdt).toEqual({ type: 'gcounter', value: 3, state: { e: { node_0: 1, node_1: 2 } } })
    expect((await c.inspect(0)).snapshot).toMatchObject({ crdtKeys: 1, siblingKeys: 0 })

    const p = await cluster(2)
    p.partition([['node_0'], ['node_1', 'node_2']])
    await p.applyCrdt(0, 'likes', { inc: 1 }, { level: 'ONE' })
    await p.applyCrdt(1, 'likes', { inc: 1 }, { level: 'ONE' })
    p.heal()
    await p.settle()
    for (const i of [0, 1, 2]) expect(await valueAt(p, i, 'likes')).toBe(2)
  })

  it('PN-Counter: increments and decrements on both sides of a partition sum exactly', async () => {
    const c = await cluster(3)
    c.partition([['node_0'], ['node_1', 'node_2']])
    await c.applyCrdt(0, 'stock', { inc: 5 }, { level: 'ONE' })
    await c.applyCrdt(0, 'stock', { dec: 2 }, { level: 'ONE' })
    await c.applyCrdt(1, 'stock', { dec: 1 }, { level: 'ONE' })
    c.heal()
    await c.settle()
    for (const i of [0, 1, 2]) expect(await valueAt(c, i, 'stock')).toBe(2)
  })

  it('OR-Set: a concurrent add wins over a remove that did not see it; removes leave no tombstone', async () => {
    const c = await cluster(4)
    await c.applyCrdt(0, 'tags', { add: 'x' })
    await c.applyCrdt(0, 'tags', { add: 'y' })
    await c.settle()
    c.partition([['node_0'], ['node_1', 'node_2']])
    await c.applyCrdt(0, 'tags', { add: 'x' }, { level: 'ONE' }) // re-add on A…
    await c.applyCrdt(1, 'tags', { remove: 'x' }, { level: 'ONE' }) // …while B removes the x it saw
    await c.applyCrdt(1, 'tags', { remove: 'y' }, { level: 'ONE' })
    c.heal()
    await c.settle()
    for (const i of [0, 1, 2]) expect(await valueAt(c, i, 'tags')).toEqual(['x'])
    const state = (await c.read(0, 'tags')).crdt?.state as { e: Record<string, unknown> }
    expect(Object.keys(state.e)).toEqual(['x']) // y is gone, no tombstone kept for it
  })

  it('LWW-Register keeps the newest set; MV-Register keeps concurrent sets and a later set replaces them', async () => {
    const c = await cluster(5)
    await c.applyCrdt(0, 'title', { set: 'first' })
    await c.applyCrdt(1, 'title', { set: 'second' })
    await c.settle()
    expect(await valueAt(c, 2, 'title')).toBe('second')
    c.partition([['node_0'], ['node_1', 'node_2']])
    await c.applyCrdt(0, 'color', { set: 'red' }, { level: 'ONE' })
    await c.applyCrdt(1, 'color', { set: 'blue' }, { level: 'ONE' })
    c.heal()
    await c.settle()
    expect(((await valueAt(c, 2, 'color')) as string[]).sort()).toEqual(['blue', 'red'])
    await c.applyCrdt(2, 'color', { set: 'green' })
    await c.settle()
    for (const i of [0, 1, 2]) expect(await valueAt(c, i, 'color')).toEqual(['green'])
  })

  it('a key outside crdtConfig is LWW, as in the seed', async () => {
    const c = await cluster(6)
    c.partition([['node_0'], ['node_1', 'node_2']])
    await c.put(0, 'plain', 'a', { level: 'ONE' })
    await c.put(1, 'plain', 'b', { level: 'ONE' })
    c.heal()
    await c.settle()
    const r = await c.read(0, 'plain', { level: 'ALL' })
    expect(r.siblings).toHaveLength(1)
    expect(r.crdt).toBeUndefined()
  })

  it('counters converge through Merkle anti-entropy too (state only one replica holds)', async () => {
    const c = await cluster(7)
    await c.applyCrdt(0, 'likes', { inc: 1 })
    await c.settle()
    const n2 = c.liveNode(2)
    const row = (await c.drive(n2.localRow('likes')))!
    const state = { e: { ...JSON.parse(row.value!).e, node_9: 4 } }
    await c.drive(n2.applyRow({ ...row, value: JSON.stringify(state) }))
    expect(await valueAt(c, 2, 'likes')).toBe(5)
    await c.antiEntropy(0) // node_0 with each peer: it merges node_2's state
    await c.settle()
    for (const i of [0, 2]) expect(await valueAt(c, i, 'likes')).toBe(5)
  })
})
