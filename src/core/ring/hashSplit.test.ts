import { describe, expect, it } from 'vitest'
import { nodeId } from '../ids'
import { seededRandom } from '../random'
import { preferenceList } from './hashRing'
import { partitionOfKey } from './mapLookup'
import { buildPlacementRing, partitionIdOf, partitionMapOf, splitHash } from './placement'
import { ringFromJson, ringToJson } from './ringJson'

const nodes = [0, 1, 2].map(nodeId)
const keys = Array.from({ length: 600 }, (_, i) => `key-${i}`)

describe('hash split (linear hashing, one partition at a time)', () => {
  const base = buildPlacementRing({ kind: 'hash', partitions: 6 }, nodes, 16, seededRandom(1))

  it('divides one partition about in half into a new last partition; no other key moves', () => {
    const split = splitHash(base, 2, nodeId(0))
    expect(split.vnodes).toHaveLength(7)
    expect(split.version).toBe(base.version + 1)
    expect(split.vnodes[6].node).toBe('node_0')
    const inTwo = keys.filter((k) => partitionIdOf(base, k) === 2)
    const moved = inTwo.filter((k) => partitionIdOf(split, k) === 6)
    expect(moved.length / inTwo.length).toBeGreaterThan(0.35)
    expect(moved.length / inTwo.length).toBeLessThan(0.65)
    for (const k of keys) {
      const before = partitionIdOf(base, k)
      const after = partitionIdOf(split, k)
      if (before !== 2) expect(after).toBe(before)
      else expect([2, 6]).toContain(after)
    }
    // The new partition's owner serves its keys; replicas follow the ring walk.
    for (const k of moved) expect(preferenceList(split, k, 1)).toEqual(['node_0'])
  })

  it('splits of splits, the map lookup (drivers, routers) and the JSON wire form agree with the ring', () => {
    let ring = base
    for (const [pid, owner] of [
      [2, 0],
      [6, 1],
      [2, 2],
      [0, 1],
      [7, 0],
    ] as const)
      ring = splitHash(ring, pid, nodeId(owner))
    expect(ring.vnodes).toHaveLength(11)
    const map = partitionMapOf(ring, 2)
    expect(map.hashSplits).toEqual([2, 6, 2, 0, 7])
    const wire = ringFromJson(JSON.parse(JSON.stringify(ringToJson(ring))))
    expect(wire).toEqual(ring)
    const counts = new Array(11).fill(0)
    for (const k of keys) {
      const pid = partitionIdOf(ring, k)
      counts[pid]++
      expect(partitionOfKey(map, k)).toBe(pid)
      expect(partitionIdOf(wire, k)).toBe(pid)
    }
    expect(counts.every((n) => n > 0)).toBe(true)
  })

  it('refuses malformed split lists on the wire, and a split of an unknown partition', () => {
    const json = ringToJson(splitHash(base, 1, nodeId(1)))
    expect(() => ringFromJson({ ...json, placement: { kind: 'hash', partitions: 6, splits: [9] } })).toThrow(
      /earlier partition/,
    )
    expect(() => ringFromJson({ ...json, placement: { kind: 'hash', partitions: 6 } })).toThrow(/vnode count/)
    expect(() => splitHash(base, 6, nodeId(0))).toThrow(/unknown partition/)
  })
})
