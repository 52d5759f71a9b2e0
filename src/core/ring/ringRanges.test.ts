import { describe, expect, it } from 'vitest'
import { nodeId } from '../ids'
import { seededRandom } from '../random'
import { buildRing, nodesOf, preferenceList, tokenOf } from './hashRing'
import { rangeContains, rangesOwnedBy, tokenRanges } from './ringRanges'

const ring = buildRing([0, 1, 2, 3].map(nodeId), 8, seededRandom(21))
const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`)

describe('tokenRanges', () => {
  it('partitions the ring: each key lies in exactly one arc, owned by its primary', () => {
    const ranges = tokenRanges(ring)
    expect(ranges).toHaveLength(32)
    expect(ranges[0].startExclusive).toBe(ring.vnodes[31].token) // first arc wraps
    for (const k of keys) {
      const hits = ranges.filter((r) => rangeContains(r, tokenOf(k)))
      expect(hits).toHaveLength(1)
      expect(hits[0].owner).toBe(preferenceList(ring, k, 1)[0])
    }
  })

  it('a one-token ring is a single arc covering everything', () => {
    const single = buildRing([nodeId(0)], 1, seededRandom(1))
    const [range] = tokenRanges(single)
    expect(range.startExclusive).toBe(range.endInclusive)
    expect(rangeContains(range, '0'.repeat(40)) && rangeContains(range, 'f'.repeat(40))).toBe(true)
  })
})

describe('rangesOwnedBy', () => {
  it('covers exactly the keys whose preference list includes the node', () => {
    for (const node of nodesOf(ring)) {
      const owned = rangesOwnedBy(ring, node, 3)
      for (const k of keys) {
        const inOwned = owned.some((r) => rangeContains(r, tokenOf(k)))
        expect(inOwned).toBe(preferenceList(ring, k, 3).includes(node))
      }
    }
  })

  it('assigns every arc to n replicas in total', () => {
    const total = nodesOf(ring).reduce((sum, node) => sum + rangesOwnedBy(ring, node, 2).length, 0)
    expect(total).toBe(2 * 32)
  })
})
