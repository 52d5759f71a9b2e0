import { describe, expect, it } from 'vitest'
import { nodeId } from '../core/ids'
import { seededRandom } from '../core/random'
import { addNode } from '../core/ring/hashRing'
import {
  buildPlacementRing,
  mergeRanges,
  placementAddNode,
  rangePlacement,
  splitRange,
} from '../core/ring/placement'
import { movedPartitions } from './moveDiff'

const nodes = [nodeId(0), nodeId(1), nodeId(2)]

describe('movedPartitions: which partitions a move gives new replicas', () => {
  it('ring: a joining node gains exactly the arcs it now owns (N = 1)', () => {
    const before = buildPlacementRing({ kind: 'ring' }, nodes, 8, seededRandom(4))
    const after = addNode(before, nodeId(3), seededRandom(5))
    const moved = movedPartitions({ ring: before, n: 1 }, { ring: after, n: 1 })
    const owned = after.vnodes.map((v, i) => [v.node, i] as const).filter(([n]) => n === 'node_3')
    expect(moved.map((m) => m.id)).toEqual(owned.map(([, i]) => i))
    expect(moved.every((m) => m.to.length === 1 && m.to[0] === 'node_3' && !m.from.includes(nodeId(3)))).toBe(
      true,
    )
  })

  it('hash: partitions handed to the new node, by id', () => {
    const before = buildPlacementRing({ kind: 'hash', partitions: 8 }, nodes, 1, seededRandom(1))
    const after = placementAddNode(before, nodeId(3), seededRandom(1))
    const moved = movedPartitions({ ring: before, n: 1 }, { ring: after, n: 1 })
    expect(moved.map((m) => m.id)).toEqual(after.vnodes.flatMap((v, i) => (v.node === 'node_3' ? [i] : [])))
  })

  it('range: a split moves the upper half; a merge moves the second range to the first owner', () => {
    const before = buildPlacementRing(
      rangePlacement([
        ['a', 'm'],
        ['m', null],
      ]),
      nodes.slice(0, 2),
      1,
      seededRandom(1),
    )
    const split = splitRange(before, 0, 'g', nodeId(2))
    expect(movedPartitions({ ring: before, n: 1 }, { ring: split, n: 1 })).toEqual([
      { id: 1, start: 'g', end: 'm', from: ['node_0'], to: ['node_2'], wasOwner: 'node_0', wasIds: [0] },
    ])
    const merged = mergeRanges(before, 0, 1)
    expect(movedPartitions({ ring: before, n: 1 }, { ring: merged, n: 1 })).toEqual([
      { id: 0, start: 'a', end: null, from: ['node_1'], to: ['node_0'], wasOwner: 'node_1', wasIds: [1] },
    ])
  })
})
