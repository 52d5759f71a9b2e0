import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { preferenceList } from '../core/ring/hashRing'
import { ringFromJson } from '../core/ring/ringJson'

describe('add and remove nodes', () => {
  it('a new node takes about 1/(n+1) of the tokens, gets its data by anti-entropy, and every key stays readable', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      replicationFactor: 2,
      seed: 21,
      partitionsPerNode: 32,
      merkleDepth: 6,
    })
    const keys = Array.from({ length: 120 }, (_, i) => `key-${i}`)
    for (const k of keys) await c.put(0, k, `v-${k}`)
    const before = ringFromJson(c.getRing())
    const id = await c.addNode()
    expect(id).toBe('node_3')
    expect(c.nodes.map((n) => n.id)).toEqual(['node_0', 'node_1', 'node_2', 'node_3'])
    const after = ringFromJson(c.getRing())
    expect(after.version).toBe(before.version + 1)
    const moved = keys.filter((k) => preferenceList(before, k, 1)[0] !== preferenceList(after, k, 1)[0])
    expect(moved.length / keys.length).toBeGreaterThan(0.1)
    expect(moved.length / keys.length).toBeLessThan(0.45)
    for (const k of moved) expect(preferenceList(after, k, 1)[0]).toBe('node_3')
    // Every node got the new ring.
    for (let i = 0; i < 4; i++) expect(c.liveNode(i).ring.version).toBe(after.version)
    await c.settle()
    for (let i = 0; i < 4; i++) await c.antiEntropy(i)
    // The new node now holds every key it owns, and every key reads at ALL.
    const newNode = c.liveNode(3)
    for (const k of keys) {
      if (preferenceList(after, k, 2).includes('node_3' as never))
        expect((await c.drive(newNode.localRow(k)))?.value).toBe(`v-${k}`)
    }
    for (const k of keys) expect(await c.get(1, k, { level: 'ALL' })).toBe(`v-${k}`)
  })

  it('removing a node keeps every key readable and drops log obligations to it', async () => {
    const c = await createSimCluster({ numNodes: 4, replicationFactor: 3, seed: 22, merkleDepth: 6 })
    const keys = Array.from({ length: 60 }, (_, i) => `key-${i}`)
    for (const k of keys) await c.put(0, k, `v-${k}`)
    await c.kill(2)
    await c.put(0, 'late', 'x') // node_0's log now owes node_2 this op
    await c.removeNode(2)
    expect(c.nodes.map((n) => n.id)).toEqual(['node_0', 'node_1', 'node_3'])
    await c.settle()
    expect(((await c.inspect(0)).replog as { byPeer: Record<string, number> }).byPeer.node_2).toBeUndefined()
    for (const i of [0, 1, 3]) await c.antiEntropy(i)
    for (const k of [...keys, 'late']) expect(await c.get(3, k)).not.toBeNull()
    await expect(c.get(2, 'late')).rejects.toMatchObject({ code: 'UNKNOWN_NODE' })
  })

  it('at every N, addNode hands the moved ranges over before the new ring is published: every key reads at once', async () => {
    for (const replicationFactor of [1, 2, 3]) {
      const c = await createSimCluster({
        numNodes: 3,
        replicationFactor,
        seed: 40 + replicationFactor,
        antiEntropyIntervalMs: 0,
      })
      const keys = Array.from({ length: 60 }, (_, i) => `key-${i}`)
      for (const k of keys) await c.put(0, k, `v-${k}`)
      await c.delete(0, 'key-0')
      const id = await c.addNode()
      // No settle, no anti-entropy: the data must already be in place.
      const missing: string[] = []
      for (const k of keys.slice(1)) if ((await c.get(1, k)) !== `v-${k}`) missing.push(k)
      expect(missing, `N=${replicationFactor}`).toEqual([])
      expect(await c.get(1, 'key-0')).toBeNull()
      const owned = keys.filter((k) => c.liveNode(0).owners(k).includes(id))
      expect(owned.length).toBeGreaterThan(0)
      for (const k of owned)
        expect((await c.drive(c.liveNode(id).localRow(k)))?.key, `N=${replicationFactor} ${k}`).toBe(k)
      // The deleted key's tombstone moved too (no zombie when an old owner later disagrees).
      if (c.liveNode(0).owners('key-0').includes(id))
        expect((await c.drive(c.liveNode(id).localRow('key-0')))?.tombstone).toBe(true)
      await c.shutdown()
    }
  })

  it('at every N, removeNode streams the leaving node’s ranges to their next owners first', async () => {
    for (const replicationFactor of [1, 2, 3]) {
      const c = await createSimCluster({
        numNodes: 4,
        replicationFactor,
        seed: 50 + replicationFactor,
        antiEntropyIntervalMs: 0,
      })
      const keys = Array.from({ length: 60 }, (_, i) => `key-${i}`)
      for (const k of keys) await c.put(1, k, `v-${k}`)
      await c.removeNode('node_0')
      const missing: string[] = []
      for (const k of keys) if ((await c.get(1, k)) !== `v-${k}`) missing.push(k)
      expect(missing, `N=${replicationFactor}`).toEqual([])
      await c.shutdown()
    }
  })

  it('removeNode refuses to go below N, W or R, and to drop a down node holding the only replica', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 60 })
    await expect(c.removeNode(0)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/fewer than N/),
    })
    expect(c.nodes).toHaveLength(3)
    const one = await createSimCluster({ numNodes: 3, replicationFactor: 1, seed: 61 })
    await one.kill(0)
    await expect(one.removeNode(0)).rejects.toMatchObject({ code: 'NODE_DOWN' })
    expect(one.nodes).toHaveLength(3)
    await c.shutdown()
    await one.shutdown()
  })

  it('the topology can change while running', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 23,
      consistency: 'ONE',
      topology: { 0: [1], 1: [2], 2: [0] },
    })
    c.setTopology({ 0: [2], 2: [1], 1: [0] })
    await c.put(0, 'k', 'v')
    await c.settle()
    expect(await c.get(1, 'k', { level: 'ONE' })).toBe('v')
    expect(() => c.setTopology({ 0: [7] })).toThrow(/not a member/)
  })
})

/** Fractions of the 2^160 ring each node owns as primary. */
function ringShares(ring: ReturnType<typeof ringFromJson>): Record<string, number> {
  const out: Record<string, number> = {}
  const v = ring.vnodes
  v.forEach((vn, i) => {
    const prev = BigInt(`0x${v[(i - 1 + v.length) % v.length].token}`)
    const len = (BigInt(`0x${vn.token}`) - prev + (1n << 160n)) % (1n << 160n)
    out[vn.node] = (out[vn.node] ?? 0) + Number(len >> 100n) / 2 ** 60
  })
  return out
}

describe('tokenAssignment', () => {
  it("'balanced': every node owns 1/n of the ring, and addNode gives the joiner exactly 1/(n+1), its data first", async () => {
    const c = await createSimCluster({
      numNodes: 3,
      replicationFactor: 1,
      seed: 5,
      partitionsPerNode: 10,
      tokenAssignment: 'balanced',
    })
    for (const s of Object.values(ringShares(ringFromJson(c.getRing())))) expect(s).toBeCloseTo(1 / 3, 9)
    const keys = Array.from({ length: 120 }, (_, i) => `key-${i}`)
    for (const k of keys) await c.put(0, k, `v-${k}`)
    await c.addNode()
    const shares = ringShares(ringFromJson(c.getRing()))
    expect(Object.keys(shares).sort()).toEqual(['node_0', 'node_1', 'node_2', 'node_3'])
    for (const s of Object.values(shares)) expect(s).toBeCloseTo(1 / 4, 9)
    for (const k of keys) expect(await c.get(3, k)).toBe(`v-${k}`)
    // 'random' (the default) leaves shares uneven for the same seed.
    const r = await createSimCluster({ numNodes: 3, seed: 5, partitionsPerNode: 10 })
    const rs = Object.values(ringShares(ringFromJson(r.getRing())))
    expect(Math.max(...rs) - Math.min(...rs)).toBeGreaterThan(0.05)
    await c.shutdown()
    await r.shutdown()
  })
})

describe('scan and faults', () => {
  it('pages through a node’s rows in key order and reports fault rules', async () => {
    const c = await createSimCluster({ numNodes: 2, seed: 24 })
    for (const k of ['b', 'a', 'd', 'c', 'e']) await c.put(0, k, k.toUpperCase())
    await c.delete(0, 'c')
    const p1 = await c.scan(1, { limit: 2 })
    expect(p1.rows.map((r) => r.key)).toEqual(['a', 'b'])
    expect(p1.rows[0]).toMatchObject({ value: 'A', version: { node: 'node_0' } })
    const p2 = await c.scan(1, { start: p1.next!, limit: 10 })
    expect(p2.rows.map((r) => r.key)).toEqual(['d', 'e'])
    expect(p2.next).toBeNull()
    c.partition([[0], [1]])
    c.setLink(0, 1, { lossRate: 0.5 })
    expect(c.faults()).toMatchObject({
      groups: [['node_0'], ['node_1']],
      links: { 'node_0>node_1': { lossRate: 0.5 } },
    })
  })
})
