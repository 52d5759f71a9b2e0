/**
 * Dotted version vector sets (Riak's DVV): the siblings of one key in `vector` mode. Each sibling
 * carries the dot (node, counter) of the write that made it; the set's vector covers every dot it
 * has seen. Merging keeps a sibling unless the other side has seen its dot and dropped it (a write
 * whose context covered it superseded it), so concurrent writes are kept and nothing grows without
 * a bound: past `siblingsMax` the oldest siblings are merged away (their dots stay covered, so every
 * replica drops them too) and counted.
 */
import { dbError } from '../errors'
import { Digest64, fnv1a } from './digest'
import { isVersionVector, type VersionVector, vvCovers, vvMax, vvText } from './vv'

export interface Sibling {
  /** The dot: the node that coordinated the write and its counter for this key. */
  n: string
  c: number
  /** The value; null for a delete that left no value. */
  v: string | null
  /** The write's Lamport time (the oldest are merged away first past siblingsMax). */
  t: number
  /** The context the write carried (what its client had read), when it had one. */
  x?: VersionVector
}

export interface DvvSet {
  vv: VersionVector
  s: Sibling[]
}

export const EMPTY_DVV: DvvSet = Object.freeze({
  vv: Object.freeze({}),
  s: Object.freeze([]),
}) as unknown as DvvSet

const byDot = (a: Sibling, b: Sibling): number => (a.n < b.n ? -1 : a.n > b.n ? 1 : a.c - b.c)
const byAge = (a: Sibling, b: Sibling): number => a.t - b.t || byDot(a, b)

/** The result of a merge or an update, and how many siblings were merged away past the bound. */
export interface DvvResult {
  set: DvvSet
  trimmed: number
}

/** Keeps at most `max` siblings: the oldest go (their dots stay in the vector, so they stay gone). */
function bounded(vv: VersionVector, s: Sibling[], max: number, sorted = false): DvvResult {
  if (!sorted) s.sort(byDot)
  if (s.length <= max) return { set: { vv, s }, trimmed: 0 }
  const keep = new Set(
    s
      .slice()
      .sort(byAge)
      .slice(s.length - max),
  )
  return { set: { vv, s: s.filter((x) => keep.has(x)) }, trimmed: s.length - max }
}

/** The siblings in dot order (stored sets already are; anything else is sorted on a copy). */
function sortedByDot(list: Sibling[]): Sibling[] {
  for (let i = 1; i < list.length; i++) if (byDot(list[i - 1], list[i]) >= 0) return list.slice().sort(byDot)
  return list
}

/**
 * The union of two sets: a sibling survives unless the other side saw its dot and dropped it. One
 * pass over both sibling lists in dot order, so the cost grows linearly with the siblings.
 */
export function mergeDvv(a: DvvSet, b: DvvSet, max: number): DvvResult {
  const as = sortedByDot(a.s)
  const bs = sortedByDot(b.s)
  const s: Sibling[] = []
  let i = 0
  let j = 0
  while (i < as.length || j < bs.length) {
    const cmp = i === as.length ? 1 : j === bs.length ? -1 : byDot(as[i], bs[j])
    if (cmp === 0) {
      s.push(as[i++])
      j++
    } else if (cmp < 0) {
      const x = as[i++]
      if (!vvCovers(b.vv, x.n, x.c)) s.push(x)
    } else {
      const x = bs[j++]
      if (!vvCovers(a.vv, x.n, x.c)) s.push(x)
    }
  }
  return bounded(vvMax(a.vv, b.vv), s, max, true)
}

/**
 * A write coordinated by `self` on the set it holds: the siblings `context` covers are replaced (all
 * of them when it covers all), the others stay, and the new value joins with a fresh dot.
 */
export function updateDvv(
  held: DvvSet,
  context: VersionVector | null,
  value: string | null,
  self: string,
  ts: number,
  max: number,
): DvvResult {
  const s = context ? held.s.filter((x) => !vvCovers(context, x.n, x.c)) : held.s.slice()
  const vv = context ? vvMax(held.vv, context) : { ...held.vv }
  const c = (vv[self] ?? 0) + 1
  vv[self] = c
  const sib: Sibling = { n: self, c, v: value, t: ts }
  if (context && Object.keys(context).length > 0) sib.x = context
  s.push(sib)
  return bounded(vv, s, max)
}

/** The digest a Merkle leaf hashes: the set's clocks (its vector and its siblings' dots). */
export function dvvDigest(set: DvvSet): string {
  const h = new Digest64()
  for (const n of Object.keys(set.vv).sort()) h.text(n).num(set.vv[n])
  h.text('|')
  for (const x of set.s) h.text(x.n).num(x.c)
  return `dvv:${h.hex()}`
}

/** A sibling's own vector: its write's context advanced by its dot. */
export function siblingVector(s: Sibling): VersionVector {
  const vv: VersionVector = { ...(s.x ?? {}) }
  vv[s.n] = Math.max(vv[s.n] ?? 0, s.c)
  return vv
}

/** True when `vv` is exactly the max of the siblings' dots per node (then the stored text omits it). */
function vvImplied(set: DvvSet): boolean {
  for (const n in set.vv) {
    let top = false
    for (const x of set.s) if (x.n === n && x.c === set.vv[n]) top = true
    if (!top) return false
  }
  for (const x of set.s) if ((set.vv[x.n] ?? 0) < x.c) return false
  return true
}

/**
 * The stored text of a set: `[siblings]`, or `[siblings, vv]` when the vector holds more than the
 * siblings' own dots; a sibling is `[node, counter, value, ts]` (+ its write's context). Arrays, not
 * objects, and no vector in the common case: the per-op state a replica parses and stores is about
 * 40 bytes smaller than the `{vv, s: [{n, c, v, t}]}` JSON (which `parseDvv` still reads).
 */
export function encodeDvv(set: DvvSet): string {
  const sibs = set.s.map((x) => (x.x ? [x.n, x.c, x.v, x.t, x.x] : [x.n, x.c, x.v, x.t]))
  return JSON.stringify(vvImplied(set) ? [sibs] : [sibs, set.vv])
}

const bad = (): never => {
  throw new Error('not a sibling set')
}

/** A set from its compact stored form (encodeDvv), checked; throws when it is not one. */
function parseCompact(x: unknown[]): DvvSet {
  if ((x.length !== 1 && x.length !== 2) || !Array.isArray(x[0])) return bad()
  const s: Sibling[] = []
  for (const e of x[0] as unknown[]) {
    if (!Array.isArray(e) || (e.length !== 4 && e.length !== 5)) return bad()
    const [n, c, v, t, ctx] = e as [unknown, unknown, unknown, unknown, unknown]
    const ok =
      typeof n === 'string' &&
      Number.isSafeInteger(c) &&
      (v === null || typeof v === 'string') &&
      typeof t === 'number' &&
      (e.length === 4 || isVersionVector(ctx))
    if (!ok) return bad()
    const sib: Sibling = { n: n as string, c: c as number, v: v as string | null, t: t as number }
    if (e.length === 5) sib.x = ctx as VersionVector
    s.push(sib)
  }
  let vv: VersionVector
  if (x.length === 2) {
    if (!isVersionVector(x[1])) return bad()
    vv = x[1]
  } else {
    vv = {}
    for (const sib of s) if ((vv[sib.n] ?? 0) < sib.c) vv[sib.n] = sib.c
  }
  return { vv, s }
}

/** Checks a parsed stored set (the compact form, or the older `{vv, s}` object); throws when it is not one. */
export function parseDvv(x: unknown): DvvSet {
  if (Array.isArray(x)) return parseCompact(x)
  const set = x as DvvSet | null
  if (set === null || typeof set !== 'object' || !isVersionVector(set.vv) || !Array.isArray(set.s))
    throw new Error('not a sibling set')
  for (const s of set.s) {
    const ok =
      typeof s === 'object' &&
      s !== null &&
      typeof s.n === 'string' &&
      Number.isSafeInteger(s.c) &&
      (s.v === null || typeof s.v === 'string') &&
      typeof s.t === 'number'
    if (!ok) throw new Error('not a sibling set')
  }
  return set
}

// ---- causal contexts (opaque to clients) --------------------------------------------------------

const CONTEXT_PREFIX = 'c1'

/** The context a read returns: the set's vector, bound to the key it was read from. */
export function encodeContext(key: string, vv: VersionVector): string {
  return `${CONTEXT_PREFIX}:${fnv1a(key)}:${vvText(vv)}`
}

/** Parses a client's context for `key`; BAD_INPUT when it is malformed or from another key. */
export function decodeContext(key: string, context: unknown): VersionVector {
  if (typeof context !== 'string')
    throw dbError('BAD_INPUT', `a context is the string a read returned, got ${typeof context}`, {
      reason: 'context-malformed',
    })
  const parts = context.split(':')
  const bad = (why: string) =>
    dbError('BAD_INPUT', `malformed context for ${key.slice(0, 100)}: ${why}`, {
      reason: 'context-malformed',
    })
  if (parts.length !== 3 || parts[0] !== CONTEXT_PREFIX) throw bad('not a context a read returned')
  if (parts[1] !== fnv1a(key))
    throw dbError('BAD_INPUT', `this context was read from another key, not ${key.slice(0, 100)}`, {
      reason: 'context-foreign',
    })
  const vv: VersionVector = {}
  if (parts[2] === '') return vv
  for (const entry of parts[2].split(',')) {
    const m = /^([A-Za-z0-9_.-]+)=([1-9][0-9]{0,15})$/.exec(entry)
    if (!m || m[1] in vv) throw bad(`bad entry ${JSON.stringify(entry.slice(0, 40))}`)
    vv[m[1]] = Number(m[2])
  }
  return vv
}
