import { describe, expect, it } from 'vitest'
import { nodeId } from '../ids'
import { seededRandom } from '../random'
import { preferenceList } from './hashRing'
import {
  buildPlacementRing,
  partitionIdOf,
  partitionMapOf,
  placementAddNode,
  placementRemoveNode,
  rangePlacement,
} from './placement'
import { ringFromJson, ringToJson } from './ringJson'
import { hashPartitionOf, positionOf } from './tokens'

const nodes = [0, 1, 2].map(nodeId)
const rnd = () => seededRandom(1)

describe('hash placement', () => {
  const ring = buildPlacementRing({ kind: 'hash', partitions: 6 }, nodes, 16, rnd())
  it('sha1(partition key) mod numPartitions, partition p on node p mod n, replicas round-robin', () => {
    for (const k of ['alice', 'bob', 'carol', 'dave']) {
      const pid = hashPartitionOf(k, 6)
      expect(partitionIdOf(ring, k)).toBe(pid)
      expect(preferenceList(ring, k, 2)).toEqual([nodes[pid % 3], nodes[(pid + 1) % 3]])
    }
    // Only the partition key is hashed: a composite key's rows live together.
    expect(partitionIdOf(ring, 'user1|001')).toBe(partitionIdOf(ring, 'user1|zzz'))
  })

  it('adding a node moves about 1/(n+1) of the partitions, all to it; removing gives them back', () => {
    const big = buildPlacementRing({ kind: 'hash', partitions: 128 }, nodes, 16, rnd())
    const added = placementAddNode(big, nodeId(3), rnd())
    const moved = big.vnodes.filter((v, i) => added.vnodes[i].node !== v.node)
    expect(moved.length).toBe(32)
    for (const v of added.vnodes.filter((x, i) => x.node !== big.vnodes[i].node))
      expect(v.node).toBe('node_3')
    const removed = placementRemoveNode(added, nodeId(3))
    expect(removed.vnodes.every((v) => v.node !== 'node_3')).toBe(true)
    const counts = new Map<string, number>()
    for (const v of removed.vnodes) counts.set(v.node, (counts.get(v.node) ?? 0) + 1)
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1)
  })

  it('survives the JSON wire form', () => {
    const back = ringFromJson(JSON.parse(JSON.stringify(ringToJson(ring))))
    expect(back.placement).toEqual({ kind: 'hash', partitions: 6 })
    expect(positionOf(back, 'alice')).toBe(positionOf(ring, 'alice'))
  })
})

describe('range placement', () => {
  const ring = buildPlacementRing(
    rangePlacement([
      ['a', 'm'],
      ['m', null],
    ]),
    nodes.slice(0, 2),
    16,
    rnd(),
  )
  it('start inclusive, end exclusive: the boundary goes to the second range', () => {
    expect(partitionIdOf(ring, 'apple')).toBe(0)
    expect(partitionIdOf(ring, 'lzz')).toBe(0)
    expect(partitionIdOf(ring, 'm')).toBe(1)
    expect(partitionIdOf(ring, 'zebra|1')).toBe(1)
    expect(preferenceList(ring, 'm', 1)).toEqual(['node_1'])
  })

  it('more ranges than nodes are assigned round-robin; keys outside every range are refused', () => {
    const r = buildPlacementRing(
      rangePlacement([
        ['a', 'f'],
        ['f', 'k'],
        ['k', 'p'],
        ['p', 'u'],
      ]),
      nodes.slice(0, 2),
      16,
      rnd(),
    )
    expect(partitionMapOf(r, 1).partitions.map((p) => [p.start, p.end, p.node])).toEqual([
      ['a', 'f', 'node_0'],
      ['f', 'k', 'node_1'],
      ['k', 'p', 'node_0'],
      ['p', 'u', 'node_1'],
    ])
    expect(() => positionOf(r, 'A')).toThrow(/outside every key range/)
    expect(() => positionOf(r, 'zz')).toThrow(/outside every key range/)
  })

  it('overlapping, unsorted, gapped or empty ranges are BAD_CONFIG', () => {
    for (const bad of [
      [],
      [['m', 'a']],
      [
        ['a', 'n'],
        ['m', null],
      ],
      [
        ['a', 'k'],
        ['m', null],
      ],
      [
        ['a', null],
        ['m', null],
      ],
    ] as Array<Array<[string, string | null]>>)
      expect(() => rangePlacement(bad)).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }))
  })
})
