/**
 * Balanced token assignment for the consistent-hash ring, in the spirit of Cassandra 4's token
 * allocator (`allocate_tokens_for_local_replication_factor`): instead of drawing a joining node's
 * vnode tokens at random, each token is placed to take ownership from the node that owns the most
 * above its fair share, inside that node's largest arc, and just far enough into it that the joiner
 * ends at exactly 1/(n+1) of the ring. Random tokens leave shares uneven (3 nodes × 10 random
 * tokens: a node can own half the ring); these are within a few tokens of exact.
 *
 * Only ownership as primary (N = 1) is balanced; replicas follow the ring walk as for random tokens.
 */
import { dbError } from '../errors'
import type { NodeId } from '../ids'
import type { Random } from '../random'
import { hex32 } from './sha1'
import type { Token } from './tokens'

/** How a ring's vnode tokens are chosen. */
export type TokenAssignment = 'random' | 'balanced'

const RING_SIZE = 1n << 160n

interface Slot {
  token: bigint
  node: NodeId
}

const toBig = (t: Token): bigint => BigInt(`0x${t}`)
const toToken = (b: bigint): Token => b.toString(16).padStart(40, '0')

function randomBig(random: Random): bigint {
  let hex = ''
  for (let i = 0; i < 5; i++) hex += hex32(random.int(0x100000000))
  return BigInt(`0x${hex}`)
}

/** Arc owned by slot i: (token of i − 1, token of i], wrapping. */
function arcLength(slots: readonly Slot[], i: number): bigint {
  const prev = slots[(i - 1 + slots.length) % slots.length].token
  const d = (slots[i].token - prev + RING_SIZE) % RING_SIZE
  return d === 0n ? RING_SIZE : d
}

/**
 * Tokens for `node` joining a ring whose vnodes are `existing` (sorted by token): `count` tokens that
 * give it 1/(n+1) of the ring, taken from the most over-served nodes. An empty ring gets `count`
 * evenly spaced tokens from a random offset. Deterministic for a given `random`.
 */
export function balancedTokensFor(
  existing: ReadonlyArray<{ token: Token; node: NodeId }>,
  node: NodeId,
  count: number,
  random: Random,
): Token[] {
  if (existing.some((v) => v.node === node)) throw dbError('BAD_INPUT', `${node} is already on the ring`)
  const offset = randomBig(random)
  if (existing.length === 0)
    return Array.from({ length: count }, (_, i) =>
      toToken((offset + (RING_SIZE * BigInt(i)) / BigInt(count)) % RING_SIZE),
    )
  const slots: Slot[] = existing.map((v) => ({ token: toBig(v.token), node: v.node }))
  const nodes = [...new Set(slots.map((s) => s.node))]
  const owned = new Map<NodeId, bigint>(nodes.map((n) => [n, 0n]))
  slots.forEach((s, i) => {
    owned.set(s.node, (owned.get(s.node) ?? 0n) + arcLength(slots, i))
  })
  const target = RING_SIZE / BigInt(nodes.length + 1)
  const out: Token[] = []
  // What each over-served node gives, and over how many of the joiner's tokens: shares of `count`
  // in proportion to the excess (largest remainders), so each token takes about the same amount.
  const donors = nodes
    .map((n) => ({ node: n, excess: owned.get(n)! - target }))
    .filter((d) => d.excess > 0n)
    .sort((a, b) => (a.excess > b.excess ? -1 : a.excess < b.excess ? 1 : 0))
  const plan = tokensPerDonor(donors, count)
  for (const [i, d] of donors.entries()) {
    let left = d.excess
    for (let j = plan[i]; j > 0; j--) {
      // The donor's largest arc now (seeded pick among equals): the joiner takes its first part.
      let best = -1
      let bestLen = 0n
      let ties = 0
      slots.forEach((s, at) => {
        if (s.node !== d.node) return
        const len = arcLength(slots, at)
        if (len > bestLen) {
          best = at
          bestLen = len
          ties = 1
        } else if (len === bestLen && random.int(++ties) === 0) best = at
      })
      let take = left / BigInt(j)
      if (take > bestLen - 1n) take = bestLen - 1n
      if (take < 1n) take = 1n
      const prev = slots[(best - 1 + slots.length) % slots.length].token
      const token = (prev + take) % RING_SIZE
      // The joiner owns (prev, token]; the donor keeps (token, its token].
      slots.splice(best, 0, { token, node })
      if (best === 0 && token > slots[slots.length - 1].token)
        slots.sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0)) // wrapped past the top
      left -= take
      out.push(toToken(token))
    }
  }
  return out
}

/** Tokens per donor: proportional to its excess, at least one each while tokens last. */
function tokensPerDonor(donors: ReadonlyArray<{ excess: bigint }>, count: number): number[] {
  if (donors.length === 0) return []
  const plan = donors.map(() => 0)
  if (count <= donors.length) {
    for (let i = 0; i < count; i++) plan[i] = 1
    return plan
  }
  const total = donors.reduce((a, d) => a + d.excess, 0n)
  const scaled = donors.map((d) => d.excess * BigInt(count))
  const rest: Array<{ i: number; rem: bigint }> = []
  let given = 0
  scaled.forEach((x, i) => {
    plan[i] = Math.max(1, Number(x / total))
    given += plan[i]
    rest.push({ i, rem: x % total })
  })
  rest.sort((a, b) => (a.rem > b.rem ? -1 : a.rem < b.rem ? 1 : a.i - b.i))
  for (let r = 0; given < count; r = (r + 1) % rest.length, given++) plan[rest[r].i]++
  for (let r = plan.length - 1; given > count; r = (r - 1 + plan.length) % plan.length)
    if (plan[r] > 1) {
      plan[r]--
      given--
    }
  return plan
}

/** A whole balanced ring: the nodes join one at a time, in order. */
export function balancedRingTokens(
  nodes: readonly NodeId[],
  count: number,
  random: Random,
): Array<{ token: Token; node: NodeId }> {
  let vnodes: Array<{ token: Token; node: NodeId }> = []
  for (const node of nodes) {
    const added = balancedTokensFor(vnodes, node, count, random).map((token) => ({ token, node }))
    vnodes = [...vnodes, ...added].sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0))
  }
  return vnodes
}
