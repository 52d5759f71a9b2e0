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
}
