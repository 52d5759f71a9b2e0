/**
 * Consistent-hash ring over SHA-1's 2^160 space (Dynamo/Riak). Each node owns `partitionsPerNode`
 * random tokens (vnodes); a token owns the arc (previous token, token]. Tokens are 40-char lowercase
 * hex, so string order is numeric order. A ring is an immutable value: every change returns a new
 * ring with `version + 1`, and the plain-JSON form crosses postMessage unchanged.
 */
import { dbError } from '../errors'
import type { NodeId } from '../ids'
import type { Random } from '../random'
import { balancedRingTokens, balancedTokensFor, type TokenAssignment } from './balancedTokens'
import { hex32 } from './sha1'
import { type Placement, partitionKeyOf, positionOf, type Token, tokenOf } from './tokens'

export { partitionKeyOf, type Token, type TokenAssignment, tokenOf }

export interface VNode {
  readonly token: Token
  readonly node: NodeId
}

export interface HashRing {
  readonly version: number
  readonly partitionsPerNode: number
  /** Sorted by token, ascending; no duplicates. */
  readonly vnodes: readonly VNode[]
  /** How keys map to positions (placement.ts); absent = the consistent-hash ring. */
  readonly placement?: Placement
}

/** Whatever maps keys to replicas; the hash ring now, range partitioning later. */
export interface Partitioner {
  ownersOf(key: string, n: number): NodeId[]
}

/** Throws BAD_CONFIG unless `value` is an integer ≥ 1. */
export function assertPositiveInt(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw dbError('BAD_CONFIG', `${name} must be an integer >= 1, got ${value}`, { [name]: value })
  }
}

function randomToken(random: Random): Token {
  let t = ''
  for (let i = 0; i < 5; i++) t += hex32(random.int(0x100000000))
  return t
}

function drawTokens(taken: Set<Token>, node: NodeId, count: number, random: Random): VNode[] {
  const out: VNode[] = []
  while (out.length < count) {
    const token = randomToken(random)
    if (taken.has(token)) continue // 2^-160 odds, but stay a function of the seed either way
    taken.add(token)
    out.push({ token, node })
  }
  return out
}

function sortVNodes(vnodes: VNode[]): readonly VNode[] {
  vnodes.sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0))
  return Object.freeze(vnodes.map((v) => Object.freeze(v)))
}

/**
 * A ring where each of `nodes` gets `partitionsPerNode` tokens, in node order: drawn from `random`,
 * or placed by the balanced allocator (balancedTokens.ts) so every node owns 1/n of the ring.
 */
export function buildRing(
  nodes: readonly NodeId[],
  partitionsPerNode: number,
  random: Random,
  assignment: TokenAssignment = 'random',
): HashRing {
  assertPositiveInt('partitionsPerNode', partitionsPerNode)
  if (new Set(nodes).size !== nodes.length) throw dbError('BAD_INPUT', 'buildRing: duplicate node ids')
  if (assignment === 'balanced')
    return Object.freeze({
      version: 1,
      partitionsPerNode,
      vnodes: sortVNodes(balancedRingTokens(nodes, partitionsPerNode, random)),
    })
  const taken = new Set<Token>()
  const vnodes = nodes.flatMap((node) => drawTokens(taken, node, partitionsPerNode, random))
  return Object.freeze({ version: 1, partitionsPerNode, vnodes: sortVNodes(vnodes) })
}

/** The distinct nodes on the ring, in first-token order. */
export function nodesOf(ring: HashRing): NodeId[] {
  return [...new Set(ring.vnodes.map((v) => v.node))]
}

/**
 * A new ring where `node` has its own tokens (drawn at random, or balanced: taken from the most
 * over-served nodes so it owns 1/(n+1)); existing tokens are untouched.
 */
export function addNode(
  ring: HashRing,
  node: NodeId,
  random: Random,
  assignment: TokenAssignment = 'random',
): HashRing {
  if (ring.vnodes.some((v) => v.node === node)) throw dbError('BAD_INPUT', `${node} is already on the ring`)
  const taken = new Set(ring.vnodes.map((v) => v.token))
  const added =
    assignment === 'balanced'
      ? balancedTokensFor(ring.vnodes, node, ring.partitionsPerNode, random).map((token) => ({ token, node }))
      : drawTokens(taken, node, ring.partitionsPerNode, random)
  const vnodes = sortVNodes([...ring.vnodes, ...added])
  return Object.freeze({ ...ring, version: ring.version + 1, vnodes })
}

/** A new ring without `node`'s tokens; its arcs fall to the next tokens clockwise. */
export function removeNode(ring: HashRing, node: NodeId): HashRing {
  if (!ring.vnodes.some((v) => v.node === node)) throw dbError('UNKNOWN_NODE', `${node} is not on the ring`)
  const vnodes = Object.freeze(ring.vnodes.filter((v) => v.node !== node))
  return Object.freeze({ ...ring, version: ring.version + 1, vnodes })
}

/** Index of the first vnode whose token is ≥ `token` (wrapping to 0): the vnode owning it. */
export function vnodeIndexFor(ring: HashRing, token: Token): number {
  const v = ring.vnodes
  let lo = 0
  let hi = v.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (v[mid].token < token) lo = mid + 1
    else hi = mid
  }
  return lo === v.length ? 0 : lo
}

/** First `n` distinct nodes walking clockwise from vnode `start` (fewer if the ring has fewer). */
export function distinctNodesFrom(ring: HashRing, start: number, n: number): NodeId[] {
  const v = ring.vnodes
  const out: NodeId[] = []
  for (let i = 0; i < v.length && out.length < n; i++) {
    const node = v[(start + i) % v.length].node
    if (!out.includes(node)) out.push(node)
  }
  return out
}

/** Per ring (rings are immutable values), the full distinct-node walk from each vnode, built on demand. */
const walks = new WeakMap<HashRing, Array<readonly NodeId[] | undefined>>()

/**
 * Every distinct node clockwise from vnode `start`, memoised per ring: routing asks this for every
 * operation, and a walk over all vnodes (up to 16 × nodes) was a visible share of a write's cost.
 */
export function walkFrom(ring: HashRing, start: number): readonly NodeId[] {
  let perStart = walks.get(ring)
  if (!perStart) {
    perStart = new Array(ring.vnodes.length)
    walks.set(ring, perStart)
  }
  let walk = perStart[start]
  if (!walk) {
    walk = Object.freeze(distinctNodesFrom(ring, start, ring.vnodes.length))
    perStart[start] = walk
  }
  return walk
}

function assertUsable(ring: HashRing, n: number): void {
  assertPositiveInt('n', n)
  if (ring.vnodes.length === 0) throw dbError('BAD_CONFIG', 'the ring has no nodes')
}

/** The key's n natural replicas: first n distinct nodes clockwise from its token. */
export function preferenceList(ring: HashRing, key: string, n: number): NodeId[] {
  assertUsable(ring, n)
  return walkFrom(ring, vnodeIndexFor(ring, positionOf(ring, key))).slice(0, n)
}

export interface SloppyTarget {
  node: NodeId
  /** Set when `node` stands in for this unhealthy natural owner (it stores a hint). */
  hintedFor?: NodeId
}

export interface SloppyPreference {
  /** The n natural owners. */
  owners: NodeId[]
  /**
   * One entry per owner, in owner order: the owner itself when healthy, else the next healthy node
   * further clockwise not already chosen. Shorter than `owners` when too few nodes are healthy.
   */
  targets: SloppyTarget[]
}

/** Dynamo's sloppy quorum: the first n healthy nodes of the walk, stand-ins tagged with hintedFor. */
export function sloppyPreferenceList(
  ring: HashRing,
  key: string,
  n: number,
  isHealthy: (node: NodeId) => boolean,
): SloppyPreference {
  assertUsable(ring, n)
  const walk = walkFrom(ring, vnodeIndexFor(ring, positionOf(ring, key)))
  const owners = walk.slice(0, n)
  const targets: SloppyTarget[] = []
  if (owners.every(isHealthy)) {
    for (const owner of owners) targets.push({ node: owner })
    return { owners, targets }
  }
  const standIns = walk.slice(n).filter(isHealthy)
  for (const owner of owners) {
    if (isHealthy(owner)) targets.push({ node: owner })
    else {
      const standIn = standIns.shift()
      if (standIn !== undefined) targets.push({ node: standIn, hintedFor: owner })
    }
  }
  return { owners, targets }
}

/** The ring as a Partitioner (natural owners, no sloppiness). */
export function ringPartitioner(ring: HashRing): Partitioner {
  return { ownersOf: (key, n) => preferenceList(ring, key, n) }
}
