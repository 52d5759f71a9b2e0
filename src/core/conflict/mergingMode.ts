/**
 * The conflict mode of `vector` and `crdt` clusters: the keys it merges hold a state (a DVV sibling
 * set, a CRDT) as their stored value; an arriving state is merged into the one held, never dropped
 * as older, so replication, read repair, hints and anti-entropy all converge by merging. Other keys
 * (outside `crdtConfig` in a `crdt` cluster) are LWW.
 */
import { dbError } from '../errors'
import type { NodeId, OpId } from '../ids'
import type { RowVersion } from '../protocol/messages'
import { compareVersions, type Version } from '../replication/version'
import type { StoredRecord } from '../storage/engine'
import { checkLwwIntent, lwwDigest, lwwMode } from './lww'
import type { ConflictMode, ConsistencyMode, StateKind } from './types'

interface Meta {
  ts: number
  node: NodeId
  opId?: OpId
}

/** Parsed states per record object (records are never mutated), so a hot key is parsed once. */
const parsed = new WeakMap<object, unknown>()
/** Digests per record object, for the same reason: Merkle, resolve and behind all ask for them. */
const digests = new WeakMap<object, string>()

export function mergingMode(name: ConsistencyMode, kindOf: (key: string) => StateKind | null): ConflictMode {
  /** The last state `build` encoded: the op record made from its text right after need not parse it. */
  let built: { text: string; state: unknown } | null = null
  const stateOf = (kind: StateKind, key: string, r: StoredRecord | RowVersion): unknown => {
    const hit = parsed.get(r)
    if (hit !== undefined) return hit
    if (built !== null && r.value === built.text) {
      parsed.set(r, built.state)
      return built.state
    }
    let raw: unknown = null
    if (typeof r.value === 'string') {
      try {
        raw = JSON.parse(r.value)
      } catch {
        raw = null
      }
    }
    const s = r.tombstone ? kind.empty() : kind.parse(raw)
    if (s === null)
      throw dbError('STORAGE_CORRUPT', `the stored state of ${key.slice(0, 100)} is malformed; not served`, {
        key: key.slice(0, 200),
      })
    parsed.set(r, s)
    return s
  }
  const encode = (kind: StateKind, s: unknown): string => (kind.encode ? kind.encode(s) : JSON.stringify(s))
  const digestOf = (kind: StateKind, key: string, r: StoredRecord | RowVersion): string => {
    const hit = digests.get(r)
    if (hit !== undefined) return hit
    const d = kind.digest(stateOf(kind, key, r))
    digests.set(r, d)
    return d
  }
  /** A stored row of a state; its digest is cached beside it, never stored in it. */
  const record = (
    kind: StateKind,
    s: unknown,
    d: string,
    version: Version,
    writtenAtMs: number,
    opId?: OpId,
    text?: string,
  ): StoredRecord => {
    const meta: Meta = { ts: version.ts, node: version.node }
    if (opId) meta.opId = opId
    const r: StoredRecord = { value: text ?? encode(kind, s), tombstone: false, meta, writtenAtMs }
    parsed.set(r, s)
    digests.set(r, d)
    return r
  }
  const later = (a: Version, b: Version): Version => (compareVersions(a, b) >= 0 ? a : b)

  return {
    name,
    merges: (key) => kindOf(key) !== null,
    resolve(key, current, incoming) {
      const kind = kindOf(key)
      if (!kind) return lwwMode.resolve(key, current, incoming)
      const inc = stateOf(kind, key, incoming)
      const im = incoming.meta as Meta
      if (!current) {
        // A well-formed state (stateOf checked it) is stored as it came; a tombstone becomes the empty state.
        if (typeof incoming.value === 'string' && !incoming.tombstone) return incoming
        return record(kind, inc, kind.digest(inc), im, incoming.writtenAtMs, im.opId)
      }
      const cur = stateOf(kind, key, current)
      const merged = kind.merge(cur, inc, key)
      const d = kind.digest(merged)
      if (d === digestOf(kind, key, current)) return null
      const cm = current.meta as Meta
      return record(
        kind,
        merged,
        d,
        later(cm, im),
        Math.max(current.writtenAtMs, incoming.writtenAtMs),
        im.opId,
      )
    },
    combine(key, rows) {
      const kind = kindOf(key)
      if (!kind) return lwwMode.combine(key, rows)
      let best: RowVersion | null = null
      let state: unknown = null
      for (const r of rows) {
        if (!r) continue
        const s = stateOf(kind, key, r)
        if (!best) {
          best = r
          state = s
          continue
        }
        state = kind.merge(state, s, key)
        const version = later(best.version, r.version)
        best = {
          key,
          value: encode(kind, state),
          tombstone: false,
          version,
          writtenAtMs: Math.max(best.writtenAtMs, r.writtenAtMs),
        }
        parsed.set(best, state)
      }
      return best
    },
    behind(key, row, best) {
      const kind = kindOf(key)
      if (!kind) return lwwMode.behind(key, row, best)
      if (!row) return true
      return digestOf(kind, key, row) !== digestOf(kind, key, best)
    },
    prepare(key, value, intent) {
      const kind = kindOf(key)
      if (!kind) {
        if (intent) checkLwwIntent(name, key, intent)
        return null
      }
      return kind.prepare(key, value, intent)
    },
    build(key, held, w, self, ts) {
      const kind = kindOf(key)
      if (!kind) throw new Error(`${key} is not a merging key`)
      const s = held ? stateOf(kind, key, held) : kind.empty()
      const state = kind.apply(s, w, self, ts, key)
      const text = encode(kind, state)
      built = { text, state }
      return text
    },
    describe(key, record) {
      const kind = kindOf(key)
      if (!kind) return null
      if (name === 'crdt') return { crdt: true }
      return { siblings: (stateOf(kind, key, record) as { s: unknown[] }).s.length }
    },
    digest(key, r) {
      const kind = kindOf(key)
      return kind ? digestOf(kind, key, r) : lwwDigest(r)
    },
    present(key, row) {
      const kind = kindOf(key)
      if (!kind) return undefined
      return kind.view(key, row ? stateOf(kind, key, row) : kind.empty())
    },
  }
}
