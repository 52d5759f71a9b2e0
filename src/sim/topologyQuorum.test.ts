import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

const STAR4 = { 0: [1, 2, 3], 1: [0], 2: [0], 3: [0] }

describe('quorums over a topology (acks relayed along it count)', () => {
  it("the seed's 4-node star with default options: a write at a leaf reaches QUORUM", async () => {
    const c = await createSimCluster({ numNodes: 4, seed: 31, topology: STAR4 })
    const res = await c.put(1, 'star', 's1')
    // N = 4, W = 3: the leaf reaches only the hub directly; the other leaves confirm through relays.
    expect(res.acks.length).toBeGreaterThanOrEqual(3)
    await c.settle()
    for (let i = 0; i < 4; i++) expect(await c.get(i, 'star', { level: 'ONE' })).toBe('s1')
    await c.shutdown()
  })

  it('a ring topology: writes at every node reach QUORUM through the relays', async () => {
    const c = await createSimCluster({ numNodes: 4, seed: 32, topology: { 0: [1], 1: [2], 2: [3], 3: [0] } })
    for (let i = 0; i < 4; i++) await c.put(i, `r${i}`, `v${i}`)
    await c.settle()
    for (let i = 0; i < 4; i++) expect(await c.get((i + 2) % 4, `r${i}`, { level: 'ALL' })).toBe(`v${i}`)
    await c.shutdown()
  })

  it('a 6-node star with N=3: every write coordinated at a leaf succeeds on a healthy cluster', async () => {
    const c = await createSimCluster({
      numNodes: 6,
      seed: 33,
      replicationFactor: 3,
      topology: { 0: [1, 2, 3, 4, 5], 1: [0], 2: [0], 3: [0], 4: [0], 5: [0] },
    })
    const failed: string[] = []
    for (let i = 0; i < 30; i++) {
      const leaf = 1 + (i % 5)
      await c.put(leaf, `k${i}`, `v${i}`).catch((e: Error) => failed.push(`k${i}@${leaf}: ${e.message}`))
    }
    expect(failed).toEqual([])
    await c.settle()
    for (let i = 0; i < 30; i++) expect(await c.get(0, `k${i}`)).toBe(`v${i}`)
    await c.shutdown()
  })
})
