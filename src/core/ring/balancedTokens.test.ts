/**
 * Balanced tokens: 3 nodes × 10 tokens own exactly a third of the ring each, so 300 keys keep every
 * node within ±30% of the mean except for about 1 seed in 5,000 (300 keys fall binomially into a
 * third: σ = 8.2 keys, and ±30 keys is 3.7σ; no token allocator can remove that noise). Random
 * tokens miss ±30% for about half the seeds. Default 2,000 seeds; more: SWEEP_SEEDS=20000.
 * Replay one: SEED=123 npx vitest run src/core/ring/balancedTokens.test.ts
 */
import { describe, expect, it } from 'vitest'
import { type NodeId, nodeId } from '../ids'
import { seededRandom } from '../random'
import { addNode, buildRing, type HashRing, preferenceList, removeNode } from './hashRing'

const single = process.env.SEED ? [Number(process.env.SEED)] : null
const count = Number(process.env.SWEEP_SEEDS ?? 2000)
const seeds = single ?? Array.from({ length: count }, (_, i) => i + 1)
const keys = Array.from({ length: 300 }, (_, i) => `key-${i}`)

/** The largest |keys on a node − mean| / mean over the nodes (primary owners, N = 1). */
function worstDeviation(ring: HashRing, members: readonly NodeId[]): number {
  const perNode = new Map<NodeId, number>(members.map((n) => [n, 0]))
  for (const k of keys) {
    const o = preferenceList(ring, k, 1)[0]
    perNode.set(o, (perNode.get(o) ?? 0) + 1)
  }
  const mean = keys.length / members.length
  return Math.max(...[...perNode.values()].map((x) => Math.abs(x - mean) / mean))
}

/** Ownership of the 2^160 ring per node, as fractions. */
function shares(ring: HashRing): Map<NodeId, number> {
  const out = new Map<NodeId, number>()
  const v = ring.vnodes
  v.forEach((vn, i) => {
    const prev = BigInt(`0x${v[(i - 1 + v.length) % v.length].token}`)
    const len = (BigInt(`0x${vn.token}`) - prev + (1n << 160n)) % (1n << 160n)
    out.set(vn.node, (out.get(vn.node) ?? 0) + Number(len >> 100n) / 2 ** 60)
  })
  return out
}

const three = [0, 1, 2].map(nodeId)

describe('balanced token assignment', () => {
  it(`3 nodes × 10 tokens, 300 keys: within ±30% of the mean but for ≤ 1 seed in 1,000, never beyond ±35% (${seeds.length} seeds)`, () => {
    let worst = 0
    let worstSeed = 0
    const beyond30: number[] = []
    const beyond35: number[] = []
    for (const seed of seeds) {
      const d = worstDeviation(buildRing(three, 10, seededRandom(seed), 'balanced'), three)
      if (d > worst) [worst, worstSeed] = [d, seed]
      if (d > 0.3) beyond30.push(seed)
      if (d > 0.35) beyond35.push(seed)
    }
    const replay = (s: number) => `seed ${s}: SEED=${s} npx vitest run src/core/ring/balancedTokens.test.ts`
    console.log(
      `balanced: worst deviation ${(worst * 100).toFixed(1)}% (seed ${worstSeed}) over ${seeds.length} seeds; beyond ±30%: ${beyond30.join(', ') || 'none'}`,
    )
    expect(beyond35, beyond35.map(replay).join('\n')).toEqual([])
    expect(beyond30.length, beyond30.map(replay).join('\n')).toBeLessThanOrEqual(
      Math.floor(seeds.length / 1000),
    )
  })

  it('random tokens miss ±30% for some seeds (what balanced assignment fixes)', () => {
    const missed = seeds.filter(
      (seed) => worstDeviation(buildRing(three, 10, seededRandom(seed)), three) > 0.3,
    )
    console.log(
      `random: ${missed.length} of ${seeds.length} seeds outside ±30% (first: ${missed.slice(0, 5).join(', ')})`,
    )
    if (!single) expect(missed.length).toBeGreaterThan(seeds.length / 3)
  })

  it('each node owns 1/n of the ring, and a joining node takes exactly 1/(n+1) from the others', () => {
    for (const seed of seeds.slice(0, 50)) {
      const ring = buildRing(three, 10, seededRandom(seed), 'balanced')
      expect(ring.vnodes).toHaveLength(30)
      expect(new Set(ring.vnodes.map((v) => v.token)).size).toBe(30)
      for (const s of shares(ring).values()) expect(Math.abs(s - 1 / 3)).toBeLessThan(1e-9)
      const four = addNode(ring, nodeId(3), seededRandom(seed + 1), 'balanced')
      // Old tokens stay; the new node's arcs are carved out of the others'.
      for (const v of ring.vnodes) expect(four.vnodes).toContainEqual(v)
      expect(four.vnodes.filter((v) => v.node === 'node_3')).toHaveLength(10)
      // Within 1% of the ring of a quarter each (a token cannot take more than its donor's arc).
      for (const s of shares(four).values()) expect(Math.abs(s - 1 / 4)).toBeLessThan(1e-9)
      // A key that moved moved to the new node only.
      for (const k of keys) {
        const before = preferenceList(ring, k, 1)[0]
        const after = preferenceList(four, k, 1)[0]
        if (before !== after) expect(after).toBe('node_3')
      }
      const five = addNode(four, nodeId(4), seededRandom(seed + 2), 'balanced')
      for (const s of shares(five).values()) expect(Math.abs(s - 1 / 5)).toBeLessThan(1e-9)
      expect(removeNode(five, nodeId(4)).vnodes).toHaveLength(40)
    }
  })

  it('is deterministic per seed, and seeds differ', () => {
    const a = buildRing(three, 10, seededRandom(7), 'balanced')
    expect(buildRing(three, 10, seededRandom(7), 'balanced')).toEqual(a)
    expect(buildRing(three, 10, seededRandom(8), 'balanced').vnodes).not.toEqual(a.vnodes)
    // One token per node cannot be exact (the third node splits one of two halves), but no node is
    // left above half the ring.
    for (const s of shares(buildRing(three, 1, seededRandom(3), 'balanced')).values())
      expect(s).toBeLessThanOrEqual(0.5)
  })
})
