/** 'vector' mode on the simulator: concurrent writes become siblings; a write with the context it read replaces them. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { ReadResult } from '../cluster/types'
import { encodeDvv, parseDvv } from '../core/conflict/dvv'

const values = (r: ReadResult) => r.siblings.map((s) => s.value).sort()

/** node_0 alone on one side, node_1 and node_2 on the other; both sides write 'k' at level ONE. */
async function doubleWrite(consistencyMode: 'lww' | 'vector') {
  const c = await createSimCluster({ numNodes: 3, seed: 5, consistencyMode, antiEntropyIntervalMs: 0 })
  c.partition([['node_0'], ['node_1', 'node_2']])
  await c.put(0, 'k', 'from A', { level: 'ONE' })
  await c.put(1, 'k', 'from B', { level: 'ONE' })
  c.heal()
  await c.settle()
  return c
}

describe("consistencyMode 'vector'", () => {
  it("the seed's example: {A:1} and {B:1} are two siblings; a write with the merged context {A:1,B:1} leaves one", async () => {
    const c = await doubleWrite('vector')
    const r = await c.read(2, 'k', { level: 'ALL' })
    expect(values(r)).toEqual(['from A', 'from B'])
    expect(r.siblings.map((s) => s.vector)).toEqual([{ node_0: 1 }, { node_1: 1 }])
    expect(r.siblings.map((s) => s.node)).toEqual(['node_0', 'node_1'])
    expect(typeof r.context).toBe('string')
    const siblingKeys = async () =>
      Promise.all([0, 1, 2].map(async (i) => (await c.inspect(i)).snapshot?.siblingKeys))
    expect(await siblingKeys()).toEqual([1, 1, 1]) // the node cards count the key with siblings
    await c.put(0, 'k', 'resolved', { context: r.context })
    await c.settle()
    expect(await siblingKeys()).toEqual([0, 0, 0])
    for (const i of [0, 1, 2]) {
      const one = await c.read(i, 'k', { level: 'ONE' })
      expect(values(one)).toEqual(['resolved'])
      expect(one.siblings[0].vector).toEqual({ node_0: 2, node_1: 1 })
    }
  })

  it('LWW loses one of the two acknowledged writes in the same run', async () => {
    const c = await doubleWrite('lww')
    const r = await c.read(2, 'k', { level: 'ALL' })
    expect(r.siblings).toHaveLength(1)
  })

  it('a write without a context adds a sibling; a delete with the context removes what it saw', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 6, consistencyMode: 'vector' })
    await c.put(0, 'k', 'one')
    await c.put(1, 'k', 'two')
    const r = await c.read(2, 'k', { level: 'ALL' })
    expect(values(r)).toEqual(['one', 'two'])
    await c.delete(2, 'k', { context: r.context })
    const after = await c.read(0, 'k', { level: 'ALL' })
    expect(after.value).toBeNull()
    expect(values(after)).toEqual([null])
    expect(await c.get(1, 'k')).toBeNull()
  })

  it('a write with an old context keeps the siblings written since (it did not see them)', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 7, consistencyMode: 'vector' })
    await c.put(0, 'k', 'v1')
    const r1 = await c.read(0, 'k')
    await c.put(1, 'k', 'v2', { context: r1.context })
    await c.put(2, 'k', 'v3', { context: r1.context })
    const r = await c.read(0, 'k', { level: 'ALL' })
    expect(values(r)).toEqual(['v2', 'v3'])
  })
})

describe("'vector' siblings merge wherever data meets", () => {
  async function splitWrites(readRepair: 'blocking' | 'off') {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 8,
      consistencyMode: 'vector',
      readRepair,
      antiEntropyIntervalMs: 0,
    })
    c.partition([['node_0'], ['node_1', 'node_2']])
    await c.put(0, 'k', 'a', { level: 'ONE' })
    await c.put(1, 'k', 'b', { level: 'ONE' })
    await c.runFor(10)
    c.heal()
    return c
  }
  const local = async (c: Awaited<ReturnType<typeof splitWrites>>, i: number) =>
    (await c.read(i, 'k', { level: 'ONE' })).siblings.map((s) => s.value).sort()

  it('read repair: the coordinator merges the replicas sibling sets and writes the union back', async () => {
    const c = await splitWrites('blocking')
    const r = await c.read(2, 'k', { level: 'ALL' })
    expect(values(r)).toEqual(['a', 'b'])
    expect(r.repaired.sort()).toEqual(['node_0', 'node_1', 'node_2'])
    expect(await local(c, 0)).toEqual(['a', 'b'])
    const off = await splitWrites('off')
    await off.read(2, 'k', { level: 'ALL' })
    expect(await local(off, 0)).toEqual(['a']) // without repair, node_0 has not heard of 'b' yet
  })

  it('Merkle anti-entropy: a sibling only one replica has travels; equal sets hash equal', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 9,
      consistencyMode: 'vector',
      antiEntropyIntervalMs: 0,
    })
    await c.put(0, 'k', 'a')
    await c.settle()
    // A sibling that reached node_1 alone (as if its replication were lost): merged into its row only.
    const n1 = c.liveNode(1)
    const row = (await c.drive(n1.localRow('k')))!
    const held = parseDvv(JSON.parse(row.value!)) // the stored form (encodeDvv)
    held.vv.node_2 = 1
    held.s.push({ n: 'node_2', c: 1, v: 'only on node_1', t: 99 })
    await c.drive(
      n1.applyRow({ ...row, value: encodeDvv(held), version: { ts: 99, node: row.version.node } }),
    )
    expect(await local(c as never, 0)).toEqual(['a'])
    const first = await c.antiEntropy(0)
    expect(first.reduce((s, x) => s + x.mismatchedLeaves, 0)).toBeGreaterThan(0)
    await c.settle()
    for (const i of [0, 1]) expect(await local(c as never, i)).toEqual(['a', 'only on node_1'])
    const again = await c.antiEntropy(0)
    expect(again.filter((x) => x.peer === 'node_1').reduce((s, x) => s + x.mismatchedLeaves, 0)).toBe(0)
  })

  it('hinted handoff: a replica that was down gets both siblings merged on return', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 10,
      consistencyMode: 'vector',
      antiEntropyIntervalMs: 0,
    })
    await c.kill(2)
    await c.runFor(3000)
    await c.put(0, 'k', 'a')
    await c.put(1, 'k', 'b')
    await c.restart(2)
    await c.runFor(3000)
    await c.settle()
    expect(await local(c as never, 2)).toEqual(['a', 'b'])
  })

  it('siblingsMax bounds the siblings: the oldest are merged away, with an event and a counter', async () => {
    const events: string[] = []
    const c = await createSimCluster(
      { numNodes: 3, seed: 11, consistencyMode: 'vector', siblingsMax: 3 },
      { onEvent: (e) => e.type === 'siblings-merged' && events.push(e.key ?? '') },
    )
    for (let i = 0; i < 5; i++) await c.put(i % 3, 'k', `v${i}`)
    await c.settle()
    const r = await c.read(0, 'k', { level: 'ALL' })
    expect(values(r)).toEqual(['v2', 'v3', 'v4'])
    expect(events).toContain('k')
    const merged = ((await c.inspect(0)).stats as { siblingsMerged: number }).siblingsMerged
    expect(merged).toBeGreaterThan(0)
  })
})
