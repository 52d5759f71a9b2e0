/**
 * A Merkle tree over one token range (Cassandra repair / Riak AAE). The range is split into
 * 2^depth equal leaf sub-ranges by the top 48 bits of the key's SHA-1 token, so a key lands in the
 * same leaf on every replica; a leaf hashes the XOR of its rows' (key, version, tombstone) hashes. Writes only mark a
 * leaf dirty (or XOR a row in/out); hashes are recomputed in bulk by `rebuildDirty` before an exchange.
 */
import { dbError } from '../errors'
import { tokenOf } from '../ring/hashRing'
import type { TokenRange } from '../ring/ringRanges'
import { hashChildrenInto, hashRowInto, type MerkleRow } from './merkleHash'

export const MERKLE_DEPTH_MAX = 20
/** 1024 leaves per token range: ~11 KB per tree at 4-ary; sized for playground ranges of ≤ ~2k rows. */
export const MERKLE_DEPTH_DEFAULT = 10
/** 4-ary: fewest hash bytes per exchange at depth 10 (measured), and half the rounds of binary. */
export const MERKLE_ARITY_BITS_DEFAULT = 2

export interface MerkleShape {
  range: TokenRange
  /** log2 of the leaf count. */
  depth: number
  /** log2 of the fan-out; depth must be a multiple of it. 1 = binary. */
  arityBits: number
  /** Where a key lies in the range (placement.ts); default its SHA-1 token. */
  position?: (key: string) => string
}

export interface MerkleTree {
  readonly shape: MerkleShape
  /** Number of levels, root (level 0) to leaves (level levelCount-1). */
  readonly levelCount: number
  readonly leafCount: number
  /** The leaf a key belongs to; BAD_INPUT when its token is outside the range. */
  leafOf(key: string): number
  /** Rebuilds every hash from scratch from all rows of the range. */
  buildFrom(rows: Iterable<MerkleRow>): void
  /** XORs a row change into its leaf (before/after = undefined when absent) and dirties its ancestors. */
  applyRowChange(before: MerkleRow | undefined, after: MerkleRow | undefined): void
  /** Marks the key's leaf for recomputation; returns the leaf index. */
  markDirty(key: string): number
  /** Marks a leaf (known from an earlier markDirty) for recomputation. */
  markLeafDirty(leaf: number): void
  /** How many leaves wait for `rebuildDirty`. */
  dirtyLeafCount(): number
  /** Recomputes dirty leaves from their rows, then their ancestors; returns the leaves recomputed. */
  rebuildDirty(rowsOfLeaf: (leafIndex: number) => Iterable<MerkleRow>): number
  /** [lo, hi] word pairs for the given node indices of a level (all when omitted). Tree must be clean. */
  levelHashes(level: number, indices?: readonly number[]): Uint32Array
  /** The root hash as 16 hex chars. Tree must be clean. */
  rootHex(): string
}

const TWO_48 = 2 ** 48

/** The first 12 hex chars (top 48 bits) of a token as a number, without allocating. */
function top48(token: string): number {
  let x = 0
  for (let i = 0; i < 12; i++) {
    const c = token.charCodeAt(i)
    x = x * 16 + (c <= 57 ? c - 48 : c - 87)
  }
  return x
}

const mod48 = (x: number): number => ((x % TWO_48) + TWO_48) % TWO_48

function assertShape(shape: MerkleShape): void {
  const { depth, arityBits } = shape
  if (!Number.isInteger(arityBits) || arityBits < 1 || arityBits > 10) {
    throw dbError('BAD_CONFIG', `merkle arityBits must be an integer in 1..10, got ${arityBits}`)
  }
  if (!Number.isInteger(depth) || depth < arityBits || depth > MERKLE_DEPTH_MAX || depth % arityBits !== 0) {
    throw dbError(
      'BAD_CONFIG',
      `merkle depth must be a multiple of arityBits ${arityBits} in ${arityBits}..${MERKLE_DEPTH_MAX}, got ${depth}`,
    )
  }
}

/** True when two trees can be compared node by node (same range, depth and fan-out). */
export function sameShape(a: MerkleShape, b: MerkleShape): boolean {
  return (
    a.depth === b.depth &&
    a.arityBits === b.arityBits &&
    a.range.startExclusive === b.range.startExclusive &&
    a.range.endInclusive === b.range.endInclusive
  )
}

/** An empty tree (every hash zero) over `shape.range`. */
export function createMerkleTree(shape: MerkleShape): MerkleTree {
  assertShape(shape)
  const arityBits = shape.arityBits
  const levelCount = shape.depth / arityBits + 1
  const leafCount = 2 ** shape.depth
  // levels[l] holds 2 words per node; level l has 2^(l*arityBits) nodes.
  const levels = Array.from({ length: levelCount }, (_, l) => new Uint32Array(2 * 2 ** (l * arityBits)))
  const leaves = levels[levelCount - 1]
  const dirtyLeaves = new Set<number>()
  const dirtyInner: Array<Set<number>> = levels.map(() => new Set<number>())
  const rowHash = new Uint32Array(2)

  // Leaves split the range by the tokens' top 48 bits, in plain doubles: the exact 160-bit BigInt
  // arithmetic allocated ~1 KB per write (the top allocation site of a busy worker). Every replica
  // runs the same function, so a key still lands in the same leaf everywhere.
  const { startExclusive, endInclusive } = shape.range
  const wholeRing = startExclusive === endInclusive
  const startHi = top48(startExclusive)
  const widthHi = wholeRing ? TWO_48 : Math.max(1, mod48(top48(endInclusive) - startHi))

  function inRange(token: string): boolean {
    if (wholeRing) return true
    return startExclusive < endInclusive
      ? token > startExclusive && token <= endInclusive
      : token > startExclusive || token <= endInclusive
  }

  const position = shape.position ?? tokenOf
  function leafOf(key: string): number {
    const token = position(key)
    if (!inRange(token)) throw dbError('BAD_INPUT', `key ${key} is outside the tree's token range`)
    const offsetHi = mod48(top48(token) - startHi)
    return Math.min(leafCount - 1, Math.floor((offsetHi / widthHi) * leafCount))
  }

  function dirtyAncestors(leaf: number): void {
    let index = leaf
    for (let l = levelCount - 2; l >= 0; l--) {
      index >>>= arityBits
      dirtyInner[l].add(index)
    }
  }

  function xorRow(row: MerkleRow): number {
    const leaf = leafOf(row.key)
    hashRowInto(rowHash, 0, row)
    leaves[2 * leaf] ^= rowHash[0]
    leaves[2 * leaf + 1] ^= rowHash[1]
    return leaf
  }

  /** Recomputes the inner nodes marked dirty, bottom-up. */
  function rebuildInner(): void {
    for (let l = levelCount - 2; l >= 0; l--) {
      const children = levels[l + 1]
      const arity = 2 ** arityBits
      for (const index of dirtyInner[l])
        hashChildrenInto(children, 2 * index * arity, arity, levels[l], 2 * index)
      dirtyInner[l].clear()
    }
  }

  function assertClean(): void {
    if (dirtyLeaves.size > 0) throw new Error('merkle: rebuildDirty() before reading hashes')
  }

  return {
    shape,
    levelCount,
    leafCount,
    leafOf,
    buildFrom(rows) {
      for (const level of levels) level.fill(0)
      dirtyLeaves.clear()
      for (const row of rows) xorRow(row)
      for (let l = 0; l < levelCount - 1; l++) {
        for (let i = 0; i < 2 ** (l * arityBits); i++) dirtyInner[l].add(i)
      }
      rebuildInner()
    },
    applyRowChange(before, after) {
      if (before) dirtyAncestors(xorRow(before))
      if (after) dirtyAncestors(xorRow(after))
      rebuildInner()
    },
    markDirty(key) {
      const leaf = leafOf(key)
      dirtyLeaves.add(leaf)
      return leaf
    },
    markLeafDirty(leaf) {
      dirtyLeaves.add(leaf)
    },
    dirtyLeafCount: () => dirtyLeaves.size,
    rebuildDirty(rowsOfLeaf) {
      const count = dirtyLeaves.size
      for (const leaf of dirtyLeaves) {
        leaves[2 * leaf] = 0
        leaves[2 * leaf + 1] = 0
        for (const row of rowsOfLeaf(leaf)) {
          if (leafOf(row.key) !== leaf) throw new Error(`merkle: row ${row.key} is not in leaf ${leaf}`)
          hashRowInto(rowHash, 0, row)
          leaves[2 * leaf] ^= rowHash[0]
          leaves[2 * leaf + 1] ^= rowHash[1]
        }
        dirtyAncestors(leaf)
      }
      dirtyLeaves.clear()
      rebuildInner()
      return count
    },
    levelHashes(level, indices) {
      assertClean()
      if (!Number.isInteger(level) || level < 0 || level >= levelCount) {
        throw dbError('BAD_INPUT', `merkle level ${level} not in 0..${levelCount - 1}`)
      }
      const words = levels[level]
      if (indices === undefined) return words.slice()
      const out = new Uint32Array(2 * indices.length)
      const nodeCount = words.length / 2
      indices.forEach((index, i) => {
        if (!Number.isInteger(index) || index < 0 || index >= nodeCount) {
          throw dbError('BAD_INPUT', `merkle level ${level} has no node ${index}`)
        }
        out[2 * i] = words[2 * index]
        out[2 * i + 1] = words[2 * index + 1]
      })
      return out
    },
    rootHex() {
      assertClean()
      return levels[0][0].toString(16).padStart(8, '0') + levels[0][1].toString(16).padStart(8, '0')
    },
  }
}
