import { describe, expect, it } from 'vitest'
import { answerLevel, compareLevel, diffTrees, rootRequest } from './merkleDiff'
import type { MerkleRow } from './merkleHash'
import { createMerkleTree, type MerkleShape } from './merkleTree'

const FULL_RING = { startExclusive: '0'.repeat(40), endInclusive: '0'.repeat(40) }

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

describe('compareLevel (exchange protocol)', () => {
  const shape: MerkleShape = { range: FULL_RING, depth: 4, arityBits: 2 }
  const rows: MerkleRow[] = Array.from({ length: 50 }, (_, i) => ({
    key: `k${i}`,
    versionDigest: 'v1',
    tombstone: false,
  }))
  const a = createMerkleTree(shape)
  a.buildFrom(rows)
  const b = createMerkleTree(shape)
  b.buildFrom(rows.map((r) => (r.key === 'k5' ? { ...r, versionDigest: 'v2' } : r)))

  it('walks root → mismatched children → mismatched leaf', () => {
    const leaf = a.leafOf('k5')
    const root = compareLevel(a, answerLevel(b, rootRequest()))
    expect(root.mismatched).toEqual([0])
    expect(root.next).toEqual({ level: 1, indices: [0, 1, 2, 3] })
    const mid = compareLevel(a, answerLevel(b, root.next!))
    expect(mid.mismatched).toEqual([leaf >> 2])
    const last = compareLevel(a, answerLevel(b, mid.next!))
    expect(last.next).toBeNull()
    expect(last.mismatchedLeaves).toEqual([leaf])
    expect(last.nodesCompared).toBe(4)
    expect(last.bytesExchanged).toBe(4 * 12)
  })

  it('stops at the root when trees agree', () => {
    const same = compareLevel(a, answerLevel(a, rootRequest()))
    expect(same.next).toBeNull()
    expect(diffTrees(a, a)).toEqual({
      mismatchedLeaves: [],
      nodesCompared: 1,
      levelsCompared: 1,
      bytesExchanged: 12,
    })
  })

  it('rejects malformed replies and trees of different shapes', () => {
    expect(codeOf(() => compareLevel(a, { level: 0, indices: [0], hashes: new Uint32Array(4) }))).toBe(
      'BAD_INPUT',
    )
    const other = createMerkleTree({ ...shape, depth: 6 })
    other.buildFrom([])
    expect(codeOf(() => diffTrees(a, other))).toBe('BAD_INPUT')
  })
})

describe('diffTrees at scale: 100k keys, 100 divergent', () => {
  const KEYS = 100_000
  const ROW_BYTES = 100
  const rows: MerkleRow[] = Array.from({ length: KEYS }, (_, i) => ({
    key: `user:${i}`,
    versionDigest: `${i % 97}@node_${i % 5}`,
    tombstone: false,
  }))
  // 100 divergent keys: 60 newer versions, 20 deletes (tombstone), 20 never received.
  const divergent = Array.from({ length: 100 }, (_, j) => (j * 997 + 13) % KEYS)
  const changed = new Map<number, MerkleRow | undefined>()
  divergent.forEach((i, j) => {
    const r = rows[i]
    changed.set(
      i,
      j < 60
        ? { ...r, versionDigest: `${r.versionDigest}+` }
        : j < 80
          ? { ...r, tombstone: true }
          : undefined,
    )
  })
  const replicaRows = rows.flatMap((r, i) =>
    changed.has(i) ? (changed.get(i) ? [changed.get(i)!] : []) : [r],
  )

  it.each([
    [16, 1],
    [16, 4],
  ])(
    'depth %i, arityBits %i: finds exactly the divergent leaves within 2 percent of a full transfer',
    (depth, arityBits) => {
      const shape: MerkleShape = { range: FULL_RING, depth, arityBits }
      const a = createMerkleTree(shape)
      a.buildFrom(rows)
      const b = createMerkleTree(shape)
      b.buildFrom(replicaRows)
      const diff = diffTrees(a, b)
      const expectedLeaves = [...new Set(divergent.map((i) => a.leafOf(rows[i].key)))].sort((x, y) => x - y)
      expect([...diff.mismatchedLeaves].sort((x, y) => x - y)).toEqual(expectedLeaves)

      const mismatched = new Set(diff.mismatchedLeaves)
      const rowsToStream = rows.filter((r) => mismatched.has(a.leafOf(r.key))).length
      const exchanged = diff.bytesExchanged + rowsToStream * ROW_BYTES
      const ratio = exchanged / (KEYS * ROW_BYTES)
      console.log(
        `merkle depth=${depth} arity=${2 ** arityBits}: leaves=${diff.mismatchedLeaves.length} nodesCompared=${diff.nodesCompared} ` +
          `rounds=${diff.levelsCompared} hashBytes=${diff.bytesExchanged} rowsStreamed=${rowsToStream} ratio=${(ratio * 100).toFixed(2)}%`,
      )
      expect(ratio).toBeLessThanOrEqual(0.02)
    },
  )
})
