import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { NodeId } from '../core/ids'
import type { RowVersion } from '../core/protocol/messages'

const newer: RowVersion = {
  key: 'k',
  value: 'new',
  tombstone: false,
  version: { ts: 1000, node: 'node_0' as NodeId },
  writtenAtMs: 0,
}

/** A 3-node cluster where node_2 holds an older version of 'k' than node_0 and node_1. */
async function staleReplica(readRepair: 'blocking' | 'async' | 'off') {
  const c = await createSimCluster({ numNodes: 3, seed: 31, readRepair, antiEntropyIntervalMs: 0 })
  await c.put(0, 'k', 'old')
  await c.settle()
  await c.drive(Promise.all([c.liveNode(0).applyRow(newer), c.liveNode(1).applyRow(newer)]))
  return c
}

describe('read repair', () => {
  it('blocking: the stale replica is repaired before the read returns, and it is counted', async () => {
    const c = await staleReplica('blocking')
    const r = await c.read(0, 'k', { level: 'ALL' })
    expect(r.value).toBe('new')
    expect(r.repaired).toEqual(['node_2'])
    expect((await c.drive(c.liveNode(2).localRow('k')))?.value).toBe('new')
    expect(((await c.inspect(0)).stats as { readRepairs: number }).readRepairs).toBe(1)
  })

  it('async: the read returns first; the repair lands afterwards', async () => {
    const c = await staleReplica('async')
    const r = await c.read(0, 'k', { level: 'ALL' })
    expect(r.repaired).toEqual(['node_2'])
    await c.settle()
    expect((await c.drive(c.liveNode(2).localRow('k')))?.value).toBe('new')
  })

  it('off: nothing is repaired; and level ONE has nothing to compare', async () => {
    const off = await staleReplica('off')
    expect((await off.read(0, 'k', { level: 'ALL' })).repaired).toEqual([])
    await off.settle()
    expect((await off.drive(off.liveNode(2).localRow('k')))?.value).toBe('old')
    const one = await staleReplica('blocking')
    expect((await one.read(2, 'k', { level: 'ONE' })).repaired).toEqual([])
  })
})

describe('quorum writes with Lamport clocks', () => {
  it('a coordinator whose clock is behind retries past the newer version instead of losing its write', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 32, antiEntropyIntervalMs: 0 })
    c.partition([['node_0', 'node_1'], ['node_2']])
    for (let i = 0; i < 5; i++) await c.put(0, 'k', `a${i}`) // W=2 through node_0 and node_1; node_2 misses them
    c.heal()
    const node2 = c.liveNode(2)
    expect(node2.clock.time).toBeLessThan(c.liveNode(0).clock.time)
    const w = await c.put(2, 'k', 'b') // stamped from a clock that never saw a0..a4
    expect(node2.stats.writeRetries).toBeGreaterThan(0)
    expect(w.version.ts).toBeGreaterThan(5)
    expect(await c.get(0, 'k')).toBe('b')
    expect(await c.get(1, 'k', { level: 'ALL' })).toBe('b')
  })
})

describe('quorum writes on a hot key', () => {
  it('concurrent coordinators retry at most once and none fails: a newer version reported to the retry is a concurrent write', async () => {
    const c = await createSimCluster({
      numNodes: 5,
      replicationFactor: 3,
      seed: 33,
      antiEntropyIntervalMs: 0,
    })
    const writes = Array.from({ length: 150 }, (_, i) => c.put(i % 5, 'hot', `v${i}`))
    const results = await Promise.allSettled(writes)
    const failed = results.filter((r) => r.status === 'rejected')
    expect(failed).toEqual([])
    let retries = 0
    for (let i = 0; i < 5; i++)
      retries += ((await c.inspect(i)).stats as { writeRetries: number }).writeRetries
    expect(retries).toBeGreaterThan(0) // the clocks did lag: the optimistic path was exercised
    expect(retries).toBeLessThanOrEqual(writes.length)
    await c.settle()
    const newest = results
      .map((r) => (r.status === 'fulfilled' ? r.value.version : null))
      .reduce(
        (a, v) => (v && (!a || v.ts > a.ts || (v.ts === a.ts && v.node > a.node)) ? v : a),
        null as null | { ts: number; node: string },
      )
    const read = await c.read(0, 'hot', { level: 'ALL' })
    expect(read.version).toEqual(newest)
  })
})

describe('quorum reads', () => {
  it('ask R replicas, not N, and ask the next one only when a replica fails', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 34, antiEntropyIntervalMs: 0 })
    await c.put(0, 'k', 'v')
    await c.settle()
    const sent = () => ({ ...c.traffic })
    const delta = (a: Record<string, number>, b: Record<string, number>, link: string) =>
      (b[link] ?? 0) - (a[link] ?? 0)
    const before = sent()
    const r = await c.read(0, 'k') // R=2: this node and one peer
    const after = sent()
    expect(r.value).toBe('v')
    expect(r.replies).toHaveLength(2)
    expect(delta(before, after, 'node_0>node_1') + delta(before, after, 'node_0>node_2')).toBe(1)
    const asked = delta(before, after, 'node_0>node_1') === 1 ? 1 : 2
    const other = asked === 1 ? 'node_2' : 'node_1'
    // The replica it asked becomes unreachable before the failure detector notices: that read fails
    // (timeout) and the next replica is asked.
    c.setLink(0, asked, { cut: true })
    const r2 = await c.read(0, 'k')
    expect(r2.value).toBe('v')
    expect(r2.replies.map((x) => x.node).sort()).toEqual(['node_0', other])
  })

  it('a slow replica does not hold a read up: after a quarter of the request timeout one more is asked', async () => {
    // The default request timeout is 1000 ms, so the speculative read goes out at 250 ms.
    const c = await createSimCluster({ numNodes: 3, seed: 35, antiEntropyIntervalMs: 0 })
    await c.put(0, 'k', 'v')
    await c.settle()
    const before = { ...c.traffic }
    await c.read(0, 'k')
    const asked = (c.traffic['node_0>node_1'] ?? 0) > (before['node_0>node_1'] ?? 0) ? 1 : 2
    c.setLink(0, asked, { latencyMs: 800 }) // answers would take 800+ ms; the detector still sees it up
    const r = await c.read(0, 'k')
    expect(r.value).toBe('v')
    expect(r.replies.map((x) => x.node)).toEqual(['node_0', asked === 1 ? 'node_2' : 'node_1'])
    expect(r.latencyMs).toBeGreaterThanOrEqual(250)
    expect(r.latencyMs).toBeLessThan(800)
  })
})
