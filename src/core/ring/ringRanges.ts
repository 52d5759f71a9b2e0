/**
 * Token ranges of a ring: each vnode's primary arc (previous token, token], and which arcs a node
 * replicates. These are the shared boundaries Merkle anti-entropy builds one tree per.
 */
import type { NodeId } from '../ids'
import { assertPositiveInt, distinctNodesFrom, type HashRing, type Token } from './hashRing'

/** The arc (startExclusive, endInclusive], wrapping past 2^160 when start ≥ end. */
export interface TokenRange {
  readonly startExclusive: Token
  readonly endInclusive: Token
}

export interface OwnedRange extends TokenRange {
  /** The primary owner: the node of the vnode at endInclusive. */
  readonly owner: NodeId
}

export interface ReplicaRange extends OwnedRange {
  /** The n distinct replicas of the arc, primary first. */
  readonly replicas: NodeId[]
}

/** Every vnode's primary arc, in token order; with one vnode the single arc is the whole ring. */
export function tokenRanges(ring: HashRing): OwnedRange[] {
  const v = ring.vnodes
  return v.map((vn, i) => ({
    startExclusive: v[(i - 1 + v.length) % v.length].token,
    endInclusive: vn.token,
    owner: vn.node,
  }))
}

/** The arcs `node` holds a replica of with replication factor n (primary or one of the next n-1). */
export function rangesOwnedBy(ring: HashRing, node: NodeId, n: number): ReplicaRange[] {
  assertPositiveInt('n', n)
  return tokenRanges(ring)
    .map((range, i) => ({ ...range, replicas: distinctNodesFrom(ring, i, n) }))
    .filter((range) => range.replicas.includes(node))
}

/** True when `token` lies in the arc (startExclusive, endInclusive]. */
export function rangeContains(range: TokenRange, token: Token): boolean {
  const { startExclusive: s, endInclusive: e } = range
  if (s < e) return token > s && token <= e
  return token > s || token <= e // wraps (s === e: the whole ring)
}
