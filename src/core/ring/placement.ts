/**
 * The partitioner seam: how keys map to partitions and partitions to nodes, for all three strategies
 * the seed offers. Every strategy is expressed as a ring of partitions, so routing, sloppy stand-ins,
 * Merkle trees per partition and the membership hand-over work the same for each:
 *
 * - `ring`: the consistent-hash ring, SHA-1 tokens, `partitionsPerNode` vnodes per node (random, or
 *   balanced by `tokenAssignment`: balancedTokens.ts).
 * - `hash`: `sha1(partitionKey) mod numPartitions`; partition p starts on node p mod n.
 * - `range`: contiguous `[start, end)` ranges of the partition key; ranges assigned round-robin.
 *
 * A hash or range partition p is the ring arc of tokens whose first 8 hex digits are p (its vnode's
 * token is p followed by 32 'f's), and a key's position in it is p followed by 32 hex digits of the
 * key's SHA-1, so Merkle leaves still spread a partition's keys evenly. Replicas of a partition are the
 * next distinct nodes along the ring, as for vnodes.
 */
import { dbError } from '../errors'
import type { NodeId } from '../ids'
import type { Random } from '../random'
import {
  addNode as addRingNode,
  buildRing,
  distinctNodesFrom,
  type HashRing,
  removeNode as removeRingNode,
  type TokenAssignment,
  type VNode,
  vnodeIndexFor,
} from './hashRing'
import { hex32 } from './sha1'
import { HASH_SPLIT_DEPTH_MAX, type Placement, positionOf, type Token } from './tokens'

export type { Placement } from './tokens'

export type PartitionStrategy = Placement['kind']

export const RING_PLACEMENT: Placement = Object.freeze({ kind: 'ring' })

/** Partition counts at most (a hash or range partition's id fits the token's first 8 hex digits). */
export const PARTITIONS_MAX = 65_536

const TAIL_F = 'f'.repeat(32)

/** The token ending partition `pid`'s arc (hash and range placements). */
export function partitionToken(pid: number): Token {
  return hex32(pid) + TAIL_F
}

/** The placement of a ring (rings built before placements existed are consistent-hash rings). */
export function placementOf(ring: HashRing): Placement {
  return ring.placement ?? RING_PLACEMENT
}

/** The ranges of a range placement as [start, end) pairs (end null = unbounded). */
export function rangesOf(p: Extract<Placement, { kind: 'range' }>): Array<[string, string | null]> {
  return p.starts.map((s, i) => [s, i + 1 < p.starts.length ? p.starts[i + 1] : p.end])
}

/**
 * Validates `keyRanges` ([start, end) pairs, the last end may be null): sorted, contiguous, non-empty.
 * Returns the placement; BAD_CONFIG naming the problem otherwise.
 */
export function rangePlacement(keyRanges: ReadonlyArray<readonly [string, string | null]>): Placement {
  if (!Array.isArray(keyRanges) || keyRanges.length === 0)
    throw dbError('BAD_CONFIG', 'keyRanges must be a non-empty list of [start, end) pairs')
  if (keyRanges.length > PARTITIONS_MAX) throw dbError('BAD_CONFIG', `at most ${PARTITIONS_MAX} key ranges`)
  keyRanges.forEach((r, i) => {
    if (
      !Array.isArray(r) ||
      r.length !== 2 ||
      typeof r[0] !== 'string' ||
      (r[1] !== null && typeof r[1] !== 'string')
    )
      throw dbError('BAD_CONFIG', `keyRanges[${i}] must be [start, end] with string bounds (end may be null)`)
    if (r[1] !== null && r[1] <= r[0])
      throw dbError('BAD_CONFIG', `keyRanges[${i}] is empty or reversed: ${JSON.stringify(r)}`)
    if (i > 0) {
      const prevEnd = keyRanges[i - 1][1]
      if (prevEnd === null)
        throw dbError(
          'BAD_CONFIG',
          `keyRanges[${i - 1}] is unbounded (end null) but keyRanges[${i}] follows it`,
        )
      if (r[0] < prevEnd)
        throw dbError('BAD_CONFIG', `keyRanges[${i}] overlaps keyRanges[${i - 1}] (or they are not sorted)`)
      if (r[0] > prevEnd)
        throw dbError(
          'BAD_CONFIG',
          `gap between keyRanges[${i - 1}] (ends ${JSON.stringify(prevEnd)}) and keyRanges[${i}] (starts ${JSON.stringify(r[0])})`,
        )
    }
  })
  return Object.freeze({
    kind: 'range',
    starts: Object.freeze(keyRanges.map((r) => r[0])),
    end: keyRanges[keyRanges.length - 1][1],
  })
}

/** A ring for `placement` over `nodes`: vnodes (ring) or one vnode per partition, round-robin. */
export function buildPlacementRing(
  placement: Placement,
  nodes: readonly NodeId[],
  partitionsPerNode: number,
  random: Random,
  tokenAssignment: TokenAssignment = 'random',
): HashRing {
  if (placement.kind === 'ring') return buildRing(nodes, partitionsPerNode, random, tokenAssignment)
  const count = partitionCount(placement)
  const vnodes: VNode[] = []
  for (let pid = 0; pid < count; pid++)
    vnodes.push(Object.freeze({ token: partitionToken(pid), node: nodes[pid % nodes.length] }))
  return Object.freeze({ version: 1, partitionsPerNode: 1, placement, vnodes: Object.freeze(vnodes) })
}

function partitionCount(p: Placement): number {
  return p.kind === 'hash' ? p.partitions + (p.splits?.length ?? 0) : p.kind === 'range' ? p.starts.length : 0
}

/** Partitions per node, for rebalancing. */
function loads(ring: HashRing, nodes: readonly NodeId[]): Map<NodeId, number[]> {
  const out = new Map<NodeId, number[]>(nodes.map((n) => [n, []]))
  ring.vnodes.forEach((v, pid) => {
    out.get(v.node)?.push(pid)
  })
  return out
}

function withOwners(ring: HashRing, owners: readonly NodeId[]): HashRing {
  return Object.freeze({
    ...ring,
    version: ring.version + 1,
    vnodes: Object.freeze(ring.vnodes.map((v, pid) => Object.freeze({ token: v.token, node: owners[pid] }))),
  })
}

/**
 * `node` joins: ring placements draw it tokens; hash and range placements give it ⌊P/(n+1)⌋ evenly
 * spaced partitions (≈ 1/(n+1) of them move, taken from every node in turn).
 */
export function placementAddNode(
  ring: HashRing,
  node: NodeId,
  random: Random,
  tokenAssignment: TokenAssignment = 'random',
): HashRing {
  const p = placementOf(ring)
  if (p.kind === 'ring') return addRingNode(ring, node, random, tokenAssignment)
  const nodes = [...new Set(ring.vnodes.map((v) => v.node))]
  if (nodes.includes(node)) throw dbError('BAD_INPUT', `${node} already holds partitions`)
  const owners = ring.vnodes.map((v) => v.node)
  const share = Math.floor(owners.length / (nodes.length + 1))
  // Every (n+1)-th partition, spread over the whole ring rather than a run of neighbours: replicas
  // follow the walk, so a run would make the new node a replica of few partitions (a 2,000-key
  // trial moved 0.40 of its ideal N/(n+1) share that way). Evenly spaced, it replicates ~N× its share.
  const stride = owners.length / share
  for (let taken = 0; taken < share; taken++)
    owners[Math.floor(taken * stride + stride / 2) % owners.length] = node
  return withOwners(ring, owners)
}

/**
 * `node` leaves: its partitions go, one at a time, to the least loaded of the others — `members`
 * when given, so a member holding no partition yet (a join into fewer partitions than nodes) takes
 * them first; without it, a range cluster at N = 2 once fell to one owner (the elastic sweep).
 */
export function placementRemoveNode(ring: HashRing, node: NodeId, members?: readonly NodeId[]): HashRing {
  const p = placementOf(ring)
  if (p.kind === 'ring') return removeRingNode(ring, node)
  const nodes = (members ?? [...new Set(ring.vnodes.map((v) => v.node))]).filter((n) => n !== node)
  if (nodes.length === 0) throw dbError('BAD_INPUT', 'cannot remove the last node')
  const owners = ring.vnodes.map((v) => v.node)
  const byNode = loads(ring, nodes)
  owners.forEach((o, pid) => {
    if (o !== node) return
    let to = nodes[0]
    for (const n of nodes) if (byNode.get(n)!.length < byNode.get(to)!.length) to = n
    byNode.get(to)!.push(pid)
    owners[pid] = to
  })
  return withOwners(ring, owners)
}

/** One partition as the Cluster API reports it. */
export interface PartitionInfo {
  id: number
  /** The primary owner (the seed's partition map: pid → node). */
  node: NodeId
  /** The N natural replicas, primary first. */
  replicas: NodeId[]
  /** Range strategy: the partition key range [start, end); ring and hash: the token arc (start, end]. */
  start: string
  end: string | null
}

export interface PartitionMap {
  version: number
  strategy: PartitionStrategy
  partitions: PartitionInfo[]
  /** Hash maps after splitPartition: the partition each split divided (partition P + k came from `hashSplits[k]`). */
  hashSplits?: number[]
}

/** The partition id of a key (its ring arc; for hash and range placements, the partition number). */
export function partitionIdOf(ring: HashRing, key: string): number {
  return vnodeIndexFor(ring, positionOf(ring, key))
}

/** Every partition with its owners under replication factor `n`. */
export function partitionMapOf(ring: HashRing, n: number): PartitionMap {
  const p = placementOf(ring)
  const ranges = p.kind === 'range' ? rangesOf(p) : null
  const v = ring.vnodes
  return {
    version: ring.version,
    strategy: p.kind,
    ...(p.kind === 'hash' && p.splits?.length ? { hashSplits: [...p.splits] } : {}),
    partitions: v.map((vn, id) => {
      const replicas = distinctNodesFrom(ring, id, n)
      const [start, end] = ranges ? ranges[id] : [v[(id - 1 + v.length) % v.length].token, vn.token]
      return { id, node: replicas[0], replicas, start, end }
    }),
  }
}

// ---- moving partitions (split, merge, transfer, rebalance) -------------------------------------

function rangeOnly(ring: HashRing, what: string): Extract<Placement, { kind: 'range' }> {
  const p = placementOf(ring)
  if (p.kind !== 'range')
    throw dbError(
      'BAD_INPUT',
      `${what} works on range partitions; this cluster uses '${p.kind}' partitioning (its partitions are fixed)`,
    )
  return p
}

function assertPid(ring: HashRing, pid: number): void {
  if (!Number.isInteger(pid) || pid < 0 || pid >= ring.vnodes.length)
    throw dbError(
      'BAD_INPUT',
      `unknown partition ${String(pid)} (partitions are 0 to ${ring.vnodes.length - 1})`,
      {
        partition: pid,
      },
    )
}

/** A range ring with new starts and owners (tokens renumbered: partition ids follow key order). */
function rangeRing(
  ring: HashRing,
  starts: readonly string[],
  end: string | null,
  owners: readonly NodeId[],
): HashRing {
  const placement: Placement = Object.freeze({ kind: 'range', starts: Object.freeze([...starts]), end })
  const vnodes = owners.map((node, pid) => Object.freeze({ token: partitionToken(pid), node }))
  return Object.freeze({ ...ring, version: ring.version + 1, placement, vnodes: Object.freeze(vnodes) })
}

/**
 * Splits range partition `pid` at `splitKey` (strictly inside it): keys from `splitKey` on form
 * partition pid + 1, owned by `newOwner`; later partitions' ids shift by one.
 */
export function splitRange(ring: HashRing, pid: number, splitKey: string, newOwner: NodeId): HashRing {
  const p = rangeOnly(ring, 'splitPartition')
  assertPid(ring, pid)
  const [start, end] = rangesOf(p)[pid]
  if (typeof splitKey !== 'string' || splitKey <= start || (end !== null && splitKey >= end))
    throw dbError(
      'BAD_INPUT',
      `split key ${JSON.stringify(splitKey)} is not inside partition ${pid} [${JSON.stringify(start)}, ${end === null ? 'end' : JSON.stringify(end)})`,
    )
  const starts = [...p.starts]
  starts.splice(pid + 1, 0, splitKey)
  const owners = ring.vnodes.map((v) => v.node)
  owners.splice(pid + 1, 0, newOwner)
  return rangeRing(ring, starts, p.end, owners)
}

/**
 * Splits hash partition `pid` (linear hashing, one partition at a time): the keys of it whose next
 * split bit is 1 (tokens.ts `hashPidOf`) form the new partition P + k, owned by `newOwner`; no other
 * key moves and no id shifts. Rows are streamed to the new owners before the map is published, like
 * every move (the seed only redirected new writes and left old rows where reads no longer looked).
 */
export function splitHash(ring: HashRing, pid: number, newOwner: NodeId): HashRing {
  const p = placementOf(ring)
  if (p.kind !== 'hash') throw dbError('INTERNAL', 'splitHash needs a hash placement')
  assertPid(ring, pid)
  const splits = p.splits ?? []
  if (hashSplitDepth(p.partitions, splits, pid) >= HASH_SPLIT_DEPTH_MAX)
    throw dbError(
      'BAD_INPUT',
      `partition ${pid} was split ${HASH_SPLIT_DEPTH_MAX} times already: its keys share every split bit`,
      { partition: pid },
    )
  if (ring.vnodes.length >= PARTITIONS_MAX)
    throw dbError('BAD_INPUT', `at most ${PARTITIONS_MAX} partitions`, { partition: pid })
  const placement: Placement = Object.freeze({
    kind: 'hash',
    partitions: p.partitions,
    splits: Object.freeze([...splits, pid]),
  })
  const vnodes = [
    ...ring.vnodes,
    Object.freeze({ token: partitionToken(ring.vnodes.length), node: newOwner }),
  ]
  return Object.freeze({ ...ring, version: ring.version + 1, placement, vnodes: Object.freeze(vnodes) })
}

/** How many split bits partition `pid`'s keys are already divided by. */
function hashSplitDepth(partitions: number, splits: readonly number[], pid: number): number {
  const depth = new Array<number>(partitions + splits.length).fill(0)
  splits.forEach((parent, k) => {
    depth[parent]++
    depth[partitions + k] = depth[parent]
  })
  return depth[pid]
}

/** Merges adjacent range partitions a and a + 1 into one owned by a's owner (its data moves there). */
export function mergeRanges(ring: HashRing, a: number, b: number): HashRing {
  const p = rangeOnly(ring, 'mergePartitions')
  assertPid(ring, a)
  assertPid(ring, b)
  const lo = Math.min(a, b)
  if (Math.abs(a - b) !== 1)
    throw dbError(
      'BAD_INPUT',
      `partitions ${a} and ${b} are not adjacent (merge neighbours, like ${lo} and ${lo + 1})`,
    )
  const starts = p.starts.filter((_, i) => i !== lo + 1)
  const owners = ring.vnodes.map((v) => v.node).filter((_, i) => i !== lo + 1)
  owners[lo] = ring.vnodes[a].node
  return rangeRing(ring, starts, p.end, owners)
}

/** Partition (or, on the consistent-hash ring, vnode) `pid` moves to `dst`. */
export function transferTo(ring: HashRing, pid: number, dst: NodeId): HashRing {
  assertPid(ring, pid)
  const owners = ring.vnodes.map((v) => v.node)
  owners[pid] = dst
  return withOwners(ring, owners)
}

/** Evens out partitions (or vnodes) per node: moves one at a time from the most to the least loaded. */
export function rebalanced(ring: HashRing, members: readonly NodeId[]): HashRing {
  const owners = ring.vnodes.map((v) => v.node)
  const byNode = loads(ring, members)
  for (let moves = 0; moves < owners.length; moves++) {
    let most = members[0]
    let least = members[0]
    for (const n of members) {
      if (byNode.get(n)!.length > byNode.get(most)!.length) most = n
      if (byNode.get(n)!.length < byNode.get(least)!.length) least = n
    }
    if (byNode.get(most)!.length - byNode.get(least)!.length <= 1) break
    const pid = byNode.get(most)!.pop()!
    byNode.get(least)!.push(pid)
    owners[pid] = least
  }
  return owners.every((o, i) => o === ring.vnodes[i].node) ? ring : withOwners(ring, owners)
}

/** The node with the fewest partitions (ties: the first in `members` after `after`). */
export function leastLoaded(ring: HashRing, members: readonly NodeId[], after?: NodeId): NodeId {
  const byNode = loads(ring, members)
  const start = after ? members.indexOf(after) + 1 : 0
  let best = members[start % members.length]
  for (let i = 0; i < members.length; i++) {
    const n = members[(start + i) % members.length]
    if (byNode.get(n)!.length < byNode.get(best)!.length) best = n
  }
  return best
}
