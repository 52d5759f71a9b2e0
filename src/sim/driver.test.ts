import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { createDriver } from '../cluster/driver'
import { partitionOfKey } from '../core/ring/mapLookup'

const SEEDS = [1, 2, 3, 4, 5, 6]

describe('createDriver: a token-aware driver with sessions', () => {
  it('sends every op straight to an owner (no hop through a non-owner)', async () => {
    for (const seed of SEEDS) {
      const c = await createSimCluster({ numNodes: 6, replicationFactor: 3, seed, routing: 'owner' })
      const d = createDriver(c, { loadBalanceReads: true })
      for (let i = 0; i < 30; i++) await d.put(`u${i % 4}`, `k${i}`, `v${i}`)
      for (let i = 0; i < 30; i++) expect(await d.get(null, `k${i}`), `seed ${seed}`).toBe(`v${i}`)
      // routing 'owner' would answer NOT_OWNER to any op sent elsewhere
      expect(d.stats.notOwnerRetries).toBe(0)
      await c.shutdown()
    }
  })

  it('seed: R=1 reads are spread over the replicas (≥ 2 of 3 nodes serve 10 reads)', async () => {
    for (const seed of SEEDS) {
      const c = await createSimCluster({ numNodes: 3, replicationFactor: 3, seed, consistency: 'ONE' })
      const d = createDriver(c, { loadBalanceReads: true })
      await d.put(null, 'hot', 'v')
      await c.settle()
      const before = { ...d.stats.sentTo }
      for (let i = 0; i < 10; i++) expect(await d.get(null, 'hot')).toBe('v')
      const served = Object.keys(d.stats.sentTo).filter((n) => (d.stats.sentTo[n] ?? 0) > (before[n] ?? 0))
      expect(served.length, `seed ${seed}`).toBeGreaterThanOrEqual(2)
      // one user per read: sessions land on different sticky replicas too
      const users = createDriver(c, { loadBalanceReads: true })
      for (let i = 0; i < 10; i++) await users.get(`user${i}`, 'hot')
      expect(Object.keys(users.stats.sentTo).length).toBeGreaterThanOrEqual(2)
      // without load balancing every read goes to the primary
      const primary = createDriver(c, { loadBalanceReads: false })
      for (let i = 0; i < 10; i++) await primary.get(null, 'hot')
      expect(Object.keys(primary.stats.sentTo)).toHaveLength(1)
      await c.shutdown()
    }
  })

  it('read-your-writes: a user reads its own write even when the other replicas lag', async () => {
    for (const seed of SEEDS) {
      const c = await createSimCluster({ numNodes: 3, replicationFactor: 3, seed, consistency: 'ONE' })
      const d = createDriver(c, { loadBalanceReads: true, readYourWritesTimeoutMs: 60_000 })
      await d.get('pad', 'k') // alice's session is the second: her sticky replica is not the primary
      await d.put('alice', 'k', 'old')
      await c.settle()
      const writer = c.getPartitionMap().partitions[c.getPartitionId('k')].replicas[0]
      for (const n of c.nodes) if (n.id !== writer) c.setLink(writer, n.id, { latencyMs: 5000 })
      await d.put('alice', 'k', 'new')
      // A lagging replica still has the old value: a plain R=1 read there is stale …
      const lagging = c.nodes.find((n) => n.id !== writer)!.id
      expect(await c.get(lagging, 'k')).toBe('old')
      // … but alice (and every one of her sticky replicas) sees her write, ten times in a row.
      const served = d.stats.sentTo[writer]
      for (let i = 0; i < 10; i++) expect(await d.get('alice', 'k'), `seed ${seed}`).toBe('new')
      // … served by the replica that took her write, with no QUORUM re-read.
      expect(d.stats.sentTo[writer]).toBe(served + 10)
      expect(d.stats.sessionRereads).toBe(0)
      // Past the timeout the pin is gone, but the session's version floor (a QUORUM re-read) holds.
      c.heal()
      const late = createDriver(c, { loadBalanceReads: true, readYourWritesTimeoutMs: 0 })
      for (const u of ['bob', 'carol', 'dave']) {
        await late.put(u, 'k2', `${u}-v`)
        expect(await late.get(u, 'k2')).toBe(`${u}-v`)
      }
      await c.shutdown()
    }
  })

  it('monotonic reads: a session sticks to one replica and never goes back in time', async () => {
    for (const seed of SEEDS) {
      const c = await createSimCluster({ numNodes: 3, replicationFactor: 3, seed, consistency: 'ONE' })
      const d = createDriver(c, { loadBalanceReads: true })
      await d.put(null, 'k', 'v1')
      await c.settle()
      const before = { ...d.stats.sentTo }
      for (let i = 0; i < 10; i++) await d.get('erin', 'k')
      const used = Object.keys(d.stats.sentTo).filter((n) => (d.stats.sentTo[n] ?? 0) > (before[n] ?? 0))
      expect(used, `seed ${seed}`).toHaveLength(1)
      // gina's sticky replica (her session's first: the primary) is down while v2 is written; she
      // reads v2 from another replica; it comes back still holding v1, and she must not see v1 again.
      const gina = createDriver(c, { loadBalanceReads: true })
      const [sticky, other] = c.getPartitionMap().partitions[c.getPartitionId('k')].replicas
      await c.kill(sticky)
      await c.put(other, 'k', 'v2', { level: 'ONE' })
      expect(await gina.get('gina', 'k')).toBe('v2')
      await c.restart(sticky)
      expect(await c.get(sticky, 'k', { level: 'ONE' })).toBe('v1')
      expect(await gina.get('gina', 'k'), `seed ${seed}`).toBe('v2')
      expect(gina.stats.sessionRereads).toBe(1)
      await c.shutdown()
    }
  })

  it("caches the map, follows pushes: the driver's map equals the cluster's after addNode and removeNode", async () => {
    for (const seed of SEEDS) {
      const c = await createSimCluster({ numNodes: 4, replicationFactor: 2, seed, routing: 'owner' })
      const d = createDriver(c)
      expect(d.map).toEqual(c.getPartitionMap())
      await c.addNode()
      expect(d.map, `seed ${seed}`).toEqual(c.getPartitionMap())
      await c.addNode()
      expect(d.map).toEqual(c.getPartitionMap())
      await c.removeNode('node_1')
      expect(d.map).toEqual(c.getPartitionMap())
      for (let i = 0; i < 20; i++) await d.put('u', `k${i}`, `v${i}`)
      for (let i = 0; i < 20; i++) expect(await d.get('u', `k${i}`)).toBe(`v${i}`)
      expect(d.stats.mapRefreshes).toBe(0)
      expect(d.stats.notOwnerRetries).toBe(0)
      await c.shutdown()
    }
  })

  it('a stale map: NOT_OWNER → refresh and retry once, the op succeeds', async () => {
    for (const seed of SEEDS) {
      const c = await createSimCluster({ numNodes: 3, replicationFactor: 1, seed, routing: 'owner' })
      const d = createDriver(c, { loadBalanceReads: false })
      const stale = d.map
      await c.addNode()
      await c.addNode()
      d.setMap(stale)
      const fresh = c.getPartitionMap()
      const moved = Array.from({ length: 200 }, (_, i) => `m${i}`).filter(
        (k) => fresh.partitions[c.getPartitionId(k)].node !== stale.partitions[partitionOfKey(stale, k)].node,
      )
      expect(moved.length).toBeGreaterThan(0)
      await d.put('u', moved[0], 'v')
      expect(d.stats.notOwnerRetries, `seed ${seed}`).toBe(1)
      expect(d.stats.mapRefreshes).toBe(1)
      expect(d.map).toEqual(fresh)
      expect(await d.get('u', moved[0])).toBe('v')
      await c.shutdown()
    }
  })

  it('bad input is coded', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 1 })
    expect(() => createDriver(c, { loadBalanceReads: 'yes' as unknown as boolean })).toThrow(/BAD_INPUT/)
    expect(() => createDriver(c, { readYourWritesTimeoutMs: -1 })).toThrow(/BAD_INPUT/)
    expect(() => createDriver(c, { readYourWritesTimeoutMs: Number.NaN })).toThrow(/BAD_INPUT/)
    expect(() => createDriver(c, { loadBalanceRead: true } as never)).toThrow(/loadBalanceReads/)
    expect(() => createDriver(null as never)).toThrow(/BAD_INPUT/)
    const d = createDriver(c)
    await expect(d.put(42 as unknown as string, 'k', 'v')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(d.get({} as unknown as string, 'k')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(d.get('', 'k')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(d.put('u', 'k', 7 as unknown as string)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await c.shutdown()
  })
})
