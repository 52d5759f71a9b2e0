/**
 * Top-down Merkle comparison for the anti-entropy exchange. The initiator asks for a level's hashes
 * at some node indices, compares them with its own, and asks next only for the children of nodes
 * that differ; at the leaf level the differing leaves are the sub-ranges whose rows must be streamed.
 * Pure functions over two trees of the same shape; the caller moves the messages.
 */
import { dbError } from '../errors'
import { type MerkleTree, sameShape } from './merkleTree'

/** Bytes per node hash on the wire (two 32-bit words). */
export const HASH_BYTES = 8
/** Bytes per node index in a request. */
export const INDEX_BYTES = 4

export interface LevelRequest {
  level: number
  indices: number[]
}

export interface LevelReply extends LevelRequest {
  /** Two words per requested index, in request order. */
  hashes: Uint32Array
}

export interface LevelComparison {
  /** Requested node indices whose hashes differ. */
  mismatched: number[]
  /** Children of the mismatched nodes, or null at the leaf level or when nothing differs. */
  next: LevelRequest | null
  /** At the leaf level, the leaves whose rows must be exchanged; otherwise empty. */
  mismatchedLeaves: number[]
  nodesCompared: number
  /** Request indices plus reply hashes for this round. */
  bytesExchanged: number
}

export interface TreeDiff {
  mismatchedLeaves: number[]
  nodesCompared: number
  levelsCompared: number
  bytesExchanged: number
}

/** The first request of an exchange: the root. */
export function rootRequest(): LevelRequest {
  return { level: 0, indices: [0] }
}

/** The remote side: answers a request with its hashes (its tree must be rebuilt first). */
export function answerLevel(tree: MerkleTree, request: LevelRequest): LevelReply {
  return { ...request, hashes: tree.levelHashes(request.level, request.indices) }
}

/** The initiator: compares a reply with its own tree and says what to ask for next. */
export function compareLevel(local: MerkleTree, reply: LevelReply): LevelComparison {
  const { level, indices, hashes } = reply
  if (hashes.length !== 2 * indices.length)
    throw dbError('BAD_INPUT', 'merkle reply: hashes/indices mismatch')
  const mine = local.levelHashes(level, indices)
  const mismatched = indices.filter(
    (_, i) => mine[2 * i] !== hashes[2 * i] || mine[2 * i + 1] !== hashes[2 * i + 1],
  )
  const isLeafLevel = level === local.levelCount - 1
  const arity = 2 ** local.shape.arityBits
  const children = isLeafLevel
    ? []
    : mismatched.flatMap((i) => Array.from({ length: arity }, (_, c) => i * arity + c))
  return {
    mismatched,
    next: children.length > 0 ? { level: level + 1, indices: children } : null,
    mismatchedLeaves: isLeafLevel ? mismatched : [],
    nodesCompared: indices.length,
    bytesExchanged: indices.length * (INDEX_BYTES + HASH_BYTES),
  }
}

/** Runs the whole exchange between two local trees (for tests and the simulator's inspector). */
export function diffTrees(a: MerkleTree, b: MerkleTree): TreeDiff {
  if (!sameShape(a.shape, b.shape))
    throw dbError('BAD_INPUT', 'merkle trees of different shapes cannot be compared')
  const diff: TreeDiff = { mismatchedLeaves: [], nodesCompared: 0, levelsCompared: 0, bytesExchanged: 0 }
  let request: LevelRequest | null = rootRequest()
  while (request) {
    const round = compareLevel(a, answerLevel(b, request))
    diff.nodesCompared += round.nodesCompared
    diff.bytesExchanged += round.bytesExchanged
    diff.levelsCompared++
    diff.mismatchedLeaves.push(...round.mismatchedLeaves)
    request = round.next
  }
  return diff
}
