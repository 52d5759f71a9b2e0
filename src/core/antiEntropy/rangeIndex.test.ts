import { describe, expect, it } from 'vitest'
import { type NodeId, nodeId } from '../ids'
import { diffTrees } from '../merkle/merkleDiff'
import { seededRandom } from '../random'
import { buildRing } from '../ring/hashRing'
import type { StoredRecord } from '../storage/engine'
import { RangeIndex } from './rangeIndex'

const nodes = [nodeId(0), nodeId(1), nodeId(2)]
const ring = buildRing(nodes, 4, seededRandom(1))
const rec = (ts: number, tombstone = false): StoredRecord => ({
  value: tombstone ? null : `v${ts}`,
  tombstone,
  meta: { ts, node: 'node_0' as NodeId },
  writtenAtMs: ts,
})

describe('RangeIndex', () => {
  it('keeps a tree per replicated range and tracks keys of those ranges only', () => {
    const all = new RangeIndex(ring, nodes[0], 3, { depth: 6, arityBits: 2 })
    const one = new RangeIndex(ring, nodes[0], 1, { depth: 6, arityBits: 2 })
    expect(all.ranges.size).toBe(ring.vnodes.length)
    expect(one.ranges.size).toBe(4)
    let tracked = 0
    for (let i = 0; i < 200; i++) if (one.track(`k${i}`, rec(1))) tracked++
    expect(tracked).toBeGreaterThan(0)
    expect(tracked).toBeLessThan(200)
    expect(one.keyCount).toBe(tracked)
  })

  it('two indexes with the same rows have equal trees; a version or tombstone change shows in one leaf', () => {
    const a = new RangeIndex(ring, nodes[0], 3, { depth: 6, arityBits: 2 })
    const b = new RangeIndex(ring, nodes[1], 3, { depth: 6, arityBits: 2 })
    for (let i = 0; i < 300; i++) {
      a.track(`k${i}`, rec(1))
      b.track(`k${299 - i}`, rec(1)) // order does not matter
    }
    b.track('k5', rec(2))
    b.track('k9', rec(3, true))
    a.rebuild()
    b.rebuild()
    const leaves = new Set<string>()
    for (const [ri, state] of a.ranges) {
      const diff = diffTrees(state.tree, b.ranges.get(ri)!.tree)
      for (const l of diff.mismatchedLeaves) leaves.add(`${ri}/${l}`)
    }
    const expected = new Set(
      ['k5', 'k9'].map((k) => `${a.rangeOf(k)}/${a.ranges.get(a.rangeOf(k))!.tree.leafOf(k)}`),
    )
    expect(leaves).toEqual(expected)
    b.untrack('k9')
    b.track('k9', rec(1))
    b.track('k5', rec(1))
    b.rebuild()
    for (const [ri, state] of a.ranges)
      expect(diffTrees(state.tree, b.ranges.get(ri)!.tree).mismatchedLeaves).toEqual([])
  })
})
