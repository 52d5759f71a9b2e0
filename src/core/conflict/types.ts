/**
 * The conflict-mode seam: how versions of one key are compared, merged and hashed. Applying an op on
 * a replica, read repair in the coordinator, hint replay, Merkle leaves and anti-entropy all ask the
 * node's ConflictMode instead of comparing Lamport versions themselves, so a mode is one module.
 */
import type { RowVersion } from '../protocol/messages'
import type { StoredRecord } from '../storage/engine'

/** How a cluster resolves concurrent writes: last-write-wins, dotted version vectors, or CRDTs. */
export type ConsistencyMode = 'lww' | 'vector' | 'crdt'

export const CONSISTENCY_MODES: readonly ConsistencyMode[] = ['lww', 'vector', 'crdt']

/** The CRDT types a key can be declared as in `crdtConfig`. */
export type CrdtType = 'gcounter' | 'pncounter' | 'orset' | 'lwwregister' | 'mvregister'

export const CRDT_TYPES: readonly CrdtType[] = ['gcounter', 'pncounter', 'orset', 'lwwregister', 'mvregister']

export interface ConflictMode {
  readonly name: ConsistencyMode
  /**
   * True when `key`'s rows are mergeable states (vector siblings, a CRDT): a write builds on the
   * state held here, and an arriving state is merged, never discarded as older.
   */
  merges(key: string): boolean
  /**
   * What to store when `incoming` meets `current` (the pending or stored record): `incoming` itself,
   * a merge of both, or null when `current` already holds everything `incoming` carries.
   */
  resolve(key: string, current: StoredRecord | undefined, incoming: StoredRecord): StoredRecord | null
  /** The one row a read returns from its replicas' rows (LWW: the newest; merging modes: the union). */
  combine(key: string, rows: ReadonlyArray<RowVersion | null>): RowVersion | null
  /** True when `row` (a replica's, or absent) misses something `best` has: it needs `best` sent. */
  behind(key: string, row: RowVersion | null, best: RowVersion): boolean
  /**
   * Checks a client write before anything is written: null for a plain LWW write, else what `build`
   * needs. BAD_INPUT for a context in LWW, a CRDT op on a key that is not one, a wrong op, a bad context.
   */
  prepare(key: string, value: string | null, intent: WriteIntent | undefined): PreparedWrite | null
  /** The new state (stored text) of a prepared write on the record held here, coordinated by `self`. */
  build(key: string, held: StoredRecord | undefined, w: PreparedWrite, self: string, ts: number): string
  /** How many siblings a merging key's stored row holds (CRDTs: `crdt`); null for LWW keys. */
  describe(key: string, record: StoredRecord): { siblings: number } | { crdt: true } | null
  /** What a read shows of a merging key's row (siblings and context, a CRDT value); undefined for LWW keys. */
  present(key: string, row: RowVersion | null): ReadView | undefined
  /**
   * The version digest a Merkle leaf hashes for a stored row: `ts@node` for LWW, a merged state's
   * clocks for merging keys (so replicas holding equal sets compare equal). Computed from the row,
   * not stored with it: a digest in every stored row's meta was ~20 incompressible bytes per row
   * written to IndexedDB (ARCHITECTURE, "Conflict-mode benchmark").
   */
  digest(key: string, record: StoredRecord): string
}

/** An operation on a CRDT key (`applyCrdt`), one shape per type. */
export type CrdtOp =
  | { inc: number }
  | { dec: number }
  | { add: string }
  | { remove: string }
  | { set: string }

/** What a client write carries besides its value: the causal context it read, or a CRDT op. */
export interface WriteIntent {
  context?: string
  crdt?: CrdtOp
}

/** A client write checked against its key's kind, ready to build the key's new state from. */
export type PreparedWrite =
  | { kind: 'vector'; context: Record<string, number> | null; value: string | null }
  | { kind: 'crdt'; op: CrdtOp }

/** One sibling as a read shows it: the value, its vector, and the node that coordinated it. */
export interface SiblingView {
  value: string | null
  /** The write's Lamport time. */
  ts: number
  vector: Record<string, number>
  node: string
}

/** What a read of a merging key shows besides the row: the siblings and context, or a CRDT's value. */
export type ReadView =
  | { kind: 'vector'; siblings: SiblingView[]; context: string }
  | { kind: 'crdt'; type: CrdtType; value: unknown; state: unknown }

/** One key's mergeable state type: a DVV sibling set, or one CRDT. States are never mutated. */
export interface StateKind {
  /** The state an absent key has. */
  empty(): unknown
  /** A stored state; null when it is not one. */
  parse(x: unknown): unknown | null
  /** The stored text of a state (default `JSON.stringify`); `parse` reads it back after `JSON.parse`. */
  encode?(s: unknown): string
  merge(a: unknown, b: unknown, key: string): unknown
  /** A canonical digest: equal states, equal digests (Merkle leaves hash it). */
  digest(s: unknown): string
  /** Checks a client write (BAD_INPUT when it does not fit this kind). */
  prepare(key: string, value: string | null, intent: WriteIntent | undefined): PreparedWrite
  /** The state after a prepared write coordinated by `self` at Lamport time `ts`. */
  apply(s: unknown, w: PreparedWrite, self: string, ts: number, key: string): unknown
  view(key: string, s: unknown): ReadView
}
