import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type NodeId, nodeId } from '../ids'
import { seededRandom } from '../random'
import {
  addNode,
  buildRing,
  distinctNodesFrom,
  type HashRing,
  nodesOf,
  partitionKeyOf,
  preferenceList,
  removeNode,
  ringPartitioner,
  sloppyPreferenceList,
  tokenOf,
  vnodeIndexFor,
} from './hashRing'
import { ringFromJson } from './ringJson'
import { sha1Hex } from './sha1'

const nodes = (count: number): NodeId[] => Array.from({ length: count }, (_, i) => nodeId(i))
const keys = (count: number): string[] => Array.from({ length: count }, (_, i) => `key-${i}`)

/** Reference implementation: scan every vnode linearly. */
function naivePreference(ring: HashRing, key: string, n: number): NodeId[] {
  const t = tokenOf(key)
  let start = ring.vnodes.findIndex((v) => v.token >= t)
  if (start < 0) start = 0
  const out: NodeId[] = []
  for (let i = 0; i < ring.vnodes.length; i++) {
    const node = ring.vnodes[(start + i) % ring.vnodes.length].node
    if (!out.includes(node) && out.length < n) out.push(node)
  }
  return out
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

describe('partitionKeyOf / tokenOf', () => {
  it('hashes only the part before the first "|"', () => {
    expect(partitionKeyOf('user42|2024-01|x')).toBe('user42')
    expect(partitionKeyOf('plain')).toBe('plain')
    expect(tokenOf('user42|a')).toBe(tokenOf('user42|b'))
    expect(tokenOf('user42|a')).toBe(sha1Hex('user42'))
    expect(tokenOf('plain')).toBe(sha1Hex('plain'))
  })
})

describe('buildRing', () => {
  it('gives each node partitionsPerNode sorted tokens, deterministic per seed', () => {
    const ring = buildRing(nodes(3), 8, seededRandom(1))
    expect(ring.version).toBe(1)
    expect(ring.vnodes).toHaveLength(24)
    for (const n of nodes(3)) expect(ring.vnodes.filter((v) => v.node === n)).toHaveLength(8)
    const tokens = ring.vnodes.map((v) => v.token)
    expect([...tokens].sort()).toEqual(tokens)
    expect(tokens.every((t) => /^[0-9a-f]{40}$/.test(t))).toBe(true)
    expect(buildRing(nodes(3), 8, seededRandom(1))).toEqual(ring)
    expect(buildRing(nodes(3), 8, seededRandom(2)).vnodes).not.toEqual(ring.vnodes)
    expect(Object.isFrozen(ring) && Object.isFrozen(ring.vnodes)).toBe(true)
  })

  it('rejects a non-integer or zero partitionsPerNode and duplicate nodes with coded errors', () => {
    expect(codeOf(() => buildRing(nodes(2), 0, seededRandom(1)))).toBe('BAD_CONFIG')
    expect(codeOf(() => buildRing(nodes(2), 1.5, seededRandom(1)))).toBe('BAD_CONFIG')
    expect(codeOf(() => buildRing([nodeId(1), nodeId(1)], 4, seededRandom(1)))).toBe('BAD_INPUT')
  })
})

describe('preferenceList', () => {
  const ring = buildRing(nodes(5), 16, seededRandom(7))

  it('matches a linear-scan reference for random keys and n (property)', () => {
    const seed = Date.now() % 1_000_000
    console.log(`preferenceList property seed=${seed}`)
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 7 }), (key, n) => {
        const got = preferenceList(ring, key, n)
        expect(got).toEqual(naivePreference(ring, key, n))
        expect(new Set(got).size).toBe(Math.min(n, 5))
      }),
      { seed, numRuns: 300 },
    )
  })

  it('skips further tokens of a node already chosen', () => {
    const crafted = ringFromJson({
      version: 1,
      partitionsPerNode: 2,
      vnodes: [
        ['1'.repeat(40), 'node_0'],
        ['2'.repeat(40), 'node_0'],
        ['3'.repeat(40), 'node_1'],
        ['4'.repeat(40), 'node_1'],
        ['5'.repeat(40), 'node_2'],
      ],
    })
    expect(distinctNodesFrom(crafted, 0, 3)).toEqual(['node_0', 'node_1', 'node_2'])
    expect(distinctNodesFrom(crafted, 3, 3)).toEqual(['node_1', 'node_2', 'node_0'])
    expect(vnodeIndexFor(crafted, '6'.repeat(40))).toBe(0) // past the last token wraps around
    expect(vnodeIndexFor(crafted, '2'.repeat(40))).toBe(1) // a token owns itself
  })

  it('rejects n < 1 and an empty ring; ringPartitioner answers the same', () => {
    expect(codeOf(() => preferenceList(ring, 'k', 0))).toBe('BAD_CONFIG')
    const empty = removeNode(buildRing([nodeId(0)], 2, seededRandom(1)), nodeId(0))
    expect(codeOf(() => preferenceList(empty, 'k', 1))).toBe('BAD_CONFIG')
    expect(ringPartitioner(ring).ownersOf('abc', 3)).toEqual(preferenceList(ring, 'abc', 3))
  })
})

describe('addNode / removeNode', () => {
  it('moves about 1/(n+1) of keys, all of them to the new node, leaving old tokens untouched', () => {
    const before = buildRing(nodes(4), 64, seededRandom(3))
    const after = addNode(before, nodeId(4), seededRandom(4))
    expect(after.version).toBe(2)
    expect(after.vnodes.filter((v) => v.node !== nodeId(4))).toEqual(before.vnodes)
    const ks = keys(20_000)
    const moved = ks.filter((k) => preferenceList(before, k, 1)[0] !== preferenceList(after, k, 1)[0])
    for (const k of moved) expect(preferenceList(after, k, 1)[0]).toBe(nodeId(4))
    const fraction = moved.length / ks.length
    console.log(`addNode moved fraction ${fraction.toFixed(3)} (ideal 0.200)`)
    expect(fraction).toBeGreaterThan(0.15)
    expect(fraction).toBeLessThan(0.25)
    expect(codeOf(() => addNode(after, nodeId(4), seededRandom(5)))).toBe('BAD_INPUT')
  })

  it('removeNode hands only the removed node keys to others', () => {
    const before = buildRing(nodes(4), 32, seededRandom(9))
    const after = removeNode(before, nodeId(2))
    expect(after.version).toBe(2)
    expect(nodesOf(after)).not.toContain(nodeId(2))
    for (const k of keys(2000)) {
      const [was] = preferenceList(before, k, 1)
      const [now] = preferenceList(after, k, 1)
      if (was !== nodeId(2)) expect(now).toBe(was)
      else expect(now).not.toBe(nodeId(2))
    }
    expect(codeOf(() => removeNode(after, nodeId(2)))).toBe('UNKNOWN_NODE')
  })
})

describe('sloppyPreferenceList', () => {
  const ring = buildRing(nodes(6), 8, seededRandom(11))
  const key = 'some-key'
  const walk = preferenceList(ring, key, 6)

  it('targets the owners themselves when all are healthy', () => {
    const { owners, targets } = sloppyPreferenceList(ring, key, 3, () => true)
    expect(owners).toEqual(walk.slice(0, 3))
    expect(targets).toEqual(owners.map((node) => ({ node })))
  })

  it('replaces each down owner by the next healthy node further clockwise, with hintedFor', () => {
    const down = new Set([walk[0], walk[2], walk[3]])
    const { owners, targets } = sloppyPreferenceList(ring, key, 3, (n) => !down.has(n))
    expect(owners).toEqual(walk.slice(0, 3))
    expect(targets).toEqual([
      { node: walk[4], hintedFor: walk[0] },
      { node: walk[1] },
      { node: walk[5], hintedFor: walk[2] },
    ])
  })

  it('returns fewer targets when too few nodes are healthy', () => {
    const up = new Set([walk[1]])
    const { targets } = sloppyPreferenceList(ring, key, 3, (n) => up.has(n))
    expect(targets).toEqual([{ node: walk[1] }])
  })
})
