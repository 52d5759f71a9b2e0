/**
 * Where a key lies on the ring: its partition key's SHA-1 token (the consistent-hash ring), or, for
 * hash and range placements (placement.ts), its partition's 8-hex-digit id followed by 32 hex digits
 * of that token. Kept apart from hashRing.ts so the ring's functions can place keys without a cycle.
 */
import { dbError } from '../errors'
import { hex32, sha1Hex } from './sha1'

/** A 40-char lowercase hex position on the ring. */
export type Token = string

export type Placement =
  | { readonly kind: 'ring' }
  /**
   * `partitions` is the count the modulo uses; `splits[k]`, when present, is the partition that split
   * k divided: partition `partitions + k` took the keys of it whose next split bit is 1 (hashSplit).
   */
  | { readonly kind: 'hash'; readonly partitions: number; readonly splits?: readonly number[] }
  /** `starts[i]` is range i's inclusive start; range i ends where range i+1 starts; `end` ends the last. */
  | { readonly kind: 'range'; readonly starts: readonly string[]; readonly end: string | null }

/** The part of a composite key "partition|cluster" before the first '|'; a plain key is whole. */
export function partitionKeyOf(key: string): string {
  const bar = key.indexOf('|')
  return bar < 0 ? key : key.slice(0, bar)
}

const TOKEN_CACHE_ENTRIES_MAX = 50_000
const tokenCache = new Map<string, Token>()

/**
 * The ring position of a key: SHA-1 of its partition key. Memoised in a bounded map: routing, the
 * replication log and Merkle leaves all ask for the same hot keys' tokens.
 */
export function tokenOf(key: string): Token {
  let t = tokenCache.get(key)
  if (t === undefined) {
    t = sha1Hex(partitionKeyOf(key))
    if (tokenCache.size >= TOKEN_CACHE_ENTRIES_MAX) tokenCache.clear()
    tokenCache.set(key, t)
  }
  return t
}

/** Index of the range holding `pk` (binary search), or -1 when it lies outside every range. */
export function rangeIndexOf(p: Extract<Placement, { kind: 'range' }>, pk: string): number {
  const s = p.starts
  if (pk < s[0] || (p.end !== null && pk >= p.end)) return -1
  let lo = 0
  let hi = s.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (s[mid] <= pk) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** sha1(pk) mod partitions, from the digest's low 32 bits. */
export function hashPartitionOf(pk: string, partitions: number): number {
  return Number.parseInt(tokenOf(pk).slice(32), 16) % partitions
}

/** Split bits a hash partition can be divided by along one path (the digest's top 32 bits). */
export const HASH_SPLIT_DEPTH_MAX = 32

/**
 * A key's hash partition: sha1 mod `partitions`, then down the splits in the order they were made
 * (linear hashing, one partition at a time): each split of the key's current partition sends it to
 * the new partition when the next bit of the digest's top 32 bits is 1.
 */
export function hashPidOf(partitions: number, splits: readonly number[] | undefined, token: Token): number {
  let pid = Number.parseInt(token.slice(32), 16) % partitions
  if (!splits || splits.length === 0) return pid
  const bits = Number.parseInt(token.slice(0, 8), 16)
  let depth = 0
  for (let k = 0; k < splits.length; k++) {
    if (splits[k] !== pid) continue
    if ((bits >>> depth) & 1) pid = partitions + k
    depth++
  }
  return pid
}

/** Where `key` lies on the ring of partitions (BAD_INPUT when no range holds it). */
export function positionOf(ring: { readonly placement?: Placement }, key: string): Token {
  const p = ring.placement
  if (!p || p.kind === 'ring') return tokenOf(key)
  const pk = partitionKeyOf(key)
  let pid: number
  if (p.kind === 'hash') pid = hashPidOf(p.partitions, p.splits, tokenOf(key))
  else {
    pid = rangeIndexOf(p, pk)
    if (pid < 0)
      throw dbError(
        'BAD_INPUT',
        `partition key ${JSON.stringify(pk.slice(0, 40))} is outside every key range (${describeRanges(p)})`,
        { partitionKey: pk.slice(0, 200) },
      )
  }
  return hex32(pid) + tokenOf(key).slice(8)
}

function describeRanges(p: Extract<Placement, { kind: 'range' }>): string {
  return `from ${JSON.stringify(p.starts[0])} to ${p.end === null ? 'the end' : JSON.stringify(p.end)}`
}
