/** The read cache in the simulator: hits, and invalidation by every apply path (issue #15). */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { NodeSnapshot } from '../cluster/types'

async function cacheOf(c: Awaited<ReturnType<typeof createSimCluster>>, n: number) {
  const q = (await c.inspect(n)).queries as { cache: { hits: number; misses: number } | null }
  return q.cache
}

describe('read cache', () => {
  it('is off by default; cacheSize < 0 is BAD_CONFIG', async () => {
    const c = await createSimCluster({ numNodes: 1, seed: 1 })
    expect(await cacheOf(c, 0)).toBeNull()
    await c.shutdown()
    await expect(createSimCluster({ numNodes: 1, cacheSize: -1 })).rejects.toMatchObject({
      code: 'BAD_CONFIG',
    })
  })

  it('repeated reads hit; counters in inspect() and the node snapshot', async () => {
    const c = await createSimCluster({ numNodes: 1, cacheSize: 100, seed: 2 })
    await c.put(0, 'k', 'v')
    for (let i = 0; i < 5; i++) expect(await c.get(0, 'k')).toBe('v')
    expect(await cacheOf(c, 0)).toMatchObject({ hits: 4, misses: 1 })
    const snap = (await c.inspect(0)).snapshot as NodeSnapshot
    expect(snap.cache).toMatchObject({ hits: 4, misses: 1, size: 1, capacity: 100 })
    await c.shutdown()
  })

  it('local and replicated writes, deletes, read repair and anti-entropy invalidate it: never a stale hit', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      cacheSize: 100,
      readRepair: 'off',
      antiEntropyIntervalMs: 0,
      seed: 3,
    })
    await c.put(0, 'k', 'v1', { level: 'ALL' })
    for (const n of [0, 1, 2]) expect(await c.get(n, 'k', { level: 'ONE' })).toBe('v1') // cached everywhere
    await c.put(1, 'k', 'v2', { level: 'ALL' }) // replicated to 0 and 2
    for (const n of [0, 1, 2]) expect(await c.get(n, 'k', { level: 'ONE' })).toBe('v2')
    await c.delete(2, 'k', { level: 'ALL' })
    for (const n of [0, 1, 2]) expect(await c.get(n, 'k', { level: 'ONE' })).toBeNull()
    // Anti-entropy: node 2 misses a write while cut off (cached null), a Merkle round brings it.
    await c.put(0, 'm', 'old', { level: 'ALL' })
    expect(await c.get(2, 'm', { level: 'ONE' })).toBe('old')
    c.partition([[0, 1], [2]])
    await c.put(0, 'm', 'new', { level: 'QUORUM' })
    expect(await c.get(2, 'm', { level: 'ONE' })).toBe('old') // cached, and what node 2 holds
    await c.kill(0) // its log and hints cannot resend to node 2 now
    c.heal()
    await c.antiEntropy(1)
    expect(await c.get(2, 'm', { level: 'ONE' })).toBe('new')
    expect((await cacheOf(c, 2))!.hits).toBeGreaterThan(0)
    await c.shutdown()
  })
})
