import { describe, expect, it } from 'vitest'
import { nodeId } from '../ids'
import { seededRandom } from '../random'
import { buildRing, tokenOf } from '../ring/hashRing'
import { rangeContains, tokenRanges } from '../ring/ringRanges'
import { diffTrees } from './merkleDiff'
import type { MerkleRow } from './merkleHash'
import { createMerkleTree, type MerkleShape } from './merkleTree'

const FULL_RING = { startExclusive: '0'.repeat(40), endInclusive: '0'.repeat(40) }
const shape: MerkleShape = { range: FULL_RING, depth: 8, arityBits: 1 }
const rows: MerkleRow[] = Array.from({ length: 500 }, (_, i) => ({
  key: `k${i}`,
  versionDigest: `${i}@node_${i % 3}`,
  tombstone: i % 7 === 0,
}))

function treeOf(rs: Iterable<MerkleRow>, s: MerkleShape = shape) {
  const t = createMerkleTree(s)
  t.buildFrom(rs)
  return t
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

describe('createMerkleTree', () => {
  it('has identical roots for the same rows inserted in different orders and ways', () => {
    const a = treeOf(rows)
    const b = treeOf([...rows].reverse())
    const c = createMerkleTree(shape)
    for (const row of [...rows].sort((x, y) => (x.versionDigest < y.versionDigest ? -1 : 1))) {
      c.applyRowChange(undefined, row)
    }
    expect(a.rootHex()).not.toBe('0000000000000000')
    expect(b.rootHex()).toBe(a.rootHex())
    expect(c.rootHex()).toBe(a.rootHex())
    expect(diffTrees(a, c).mismatchedLeaves).toEqual([])
  })

  it('an empty tree has a zero root', () => {
    expect(treeOf([]).rootHex()).toBe('0000000000000000')
  })

  it.each([
    ['version', (r: MerkleRow) => ({ ...r, versionDigest: `${r.versionDigest}+1` })],
    ['tombstone flag', (r: MerkleRow) => ({ ...r, tombstone: !r.tombstone })],
  ])('a changed %s makes exactly that leaf mismatch', (_, change) => {
    const a = treeOf(rows)
    const changed = rows.map((r) => (r.key === 'k42' ? change(r) : r))
    const b = treeOf(changed)
    expect(diffTrees(a, b).mismatchedLeaves).toEqual([a.leafOf('k42')])
  })

  it('a row missing on one side (a delete never received) mismatches its leaf', () => {
    const a = treeOf(rows)
    const b = treeOf(rows.filter((r) => r.key !== 'k7'))
    expect(diffTrees(a, b).mismatchedLeaves).toEqual([a.leafOf('k7')])
  })

  it('applyRowChange replaces a row exactly as a rebuild would', () => {
    const t = treeOf(rows)
    const old = rows[10]
    const updated = { ...old, versionDigest: 'new', tombstone: true }
    t.applyRowChange(old, updated)
    expect(t.rootHex()).toBe(treeOf(rows.map((r) => (r === old ? updated : r))).rootHex())
    t.applyRowChange(updated, undefined)
    expect(t.rootHex()).toBe(treeOf(rows.filter((r) => r !== old)).rootHex())
  })

  it('markDirty + rebuildDirty recomputes only dirty leaves from their rows', () => {
    const t = treeOf(rows)
    const updated = rows.map((r) => (r.key === 'k3' || r.key === 'k99' ? { ...r, versionDigest: 'x' } : r))
    t.markDirty('k3')
    t.markDirty('k99')
    expect(t.dirtyLeafCount()).toBe(new Set([t.leafOf('k3'), t.leafOf('k99')]).size)
    expect(() => t.rootHex()).toThrow(/rebuildDirty/)
    const asked: number[] = []
    const recomputed = t.rebuildDirty((leaf) => {
      asked.push(leaf)
      return updated.filter((r) => t.leafOf(r.key) === leaf)
    })
    expect(recomputed).toBe(asked.length)
    expect(asked.sort()).toEqual([...new Set([t.leafOf('k3'), t.leafOf('k99')])].sort())
    expect(t.dirtyLeafCount()).toBe(0)
    expect(t.rootHex()).toBe(treeOf(updated).rootHex())
  })

  it('puts rows of one partition in one leaf and rejects keys outside the range', () => {
    const ring = buildRing([nodeId(0), nodeId(1)], 4, seededRandom(5))
    const range = tokenRanges(ring)[0] // wraps past 2^160
    const t = createMerkleTree({ range, depth: 6, arityBits: 2 })
    const inside = rows.map((r) => r.key).filter((k) => rangeContains(range, tokenOf(k)))
    const outside = rows.map((r) => r.key).find((k) => !rangeContains(range, tokenOf(k)))!
    expect(inside.length).toBeGreaterThan(0)
    for (const k of inside) {
      const leaf = t.leafOf(k)
      expect(leaf).toBeGreaterThanOrEqual(0)
      expect(leaf).toBeLessThan(64)
      expect(t.leafOf(`${k}|clustering`)).toBe(leaf)
    }
    expect(codeOf(() => t.leafOf(outside))).toBe('BAD_INPUT')
  })

  it('orders leaves by token offset within the range', () => {
    const t = createMerkleTree(shape)
    const byToken = rows.map((r) => r.key).sort((x, y) => (tokenOf(x) < tokenOf(y) ? -1 : 1))
    const leaves = byToken.map((k) => t.leafOf(k))
    expect([...leaves].sort((x, y) => x - y)).toEqual(leaves)
    expect(leaves[leaves.length - 1]).toBeGreaterThan(200) // spread over the 256 leaves
  })

  it('validates its shape and level arguments with coded errors', () => {
    expect(codeOf(() => createMerkleTree({ ...shape, depth: 7, arityBits: 2 }))).toBe('BAD_CONFIG')
    expect(codeOf(() => createMerkleTree({ ...shape, depth: 21 }))).toBe('BAD_CONFIG')
    expect(codeOf(() => createMerkleTree({ ...shape, arityBits: 0 }))).toBe('BAD_CONFIG')
    const t = treeOf(rows)
    expect(t.levelCount).toBe(9)
    expect(codeOf(() => t.levelHashes(9))).toBe('BAD_INPUT')
    expect(codeOf(() => t.levelHashes(1, [2]))).toBe('BAD_INPUT')
    expect(t.levelHashes(8)).toHaveLength(2 * 256)
  })
})
