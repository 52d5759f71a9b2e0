/**
 * The lowest storage layer a node sees: a few ordered key/value stores and atomic commits.
 * IndexedDB (src/hosts/idbDisk.ts) and memory (memoryDisk.ts) implement it; everything durable a node
 * keeps (LSM WAL and tables, manifest, replication log, hints, metadata) goes through here, so one
 * contract test suite covers both backends and the simulator can crash a node between any two commits.
 */

/** Every store a node's database has. Adding one bumps DISK_SCHEMA_VERSION. */
export const DISK_STORES = ['wal', 'sst', 'manifest', 'meta', 'replog', 'hints'] as const
export const DISK_SCHEMA_VERSION = 1

export type DiskStore = (typeof DISK_STORES)[number]
export type DiskKey = string | number

export type DiskOp =
  | { type: 'put'; store: DiskStore; key: DiskKey; value: unknown }
  | { type: 'delete'; store: DiskStore; key: DiskKey }
  /** Deletes keys in [lower, upper] (both inclusive). */
  | { type: 'deleteRange'; store: DiskStore; lower: DiskKey; upper: DiskKey }

export interface DiskEntry {
  key: DiskKey
  value: unknown
}

export interface DiskRange {
  /** Inclusive lower bound; omitted = from the first key. */
  lower?: DiskKey
  /** Inclusive upper bound; omitted = to the last key. */
  upper?: DiskKey
  limit?: number
}

export interface Disk {
  /** A human-readable name (the IndexedDB database name). */
  readonly name: string
  get(store: DiskStore, key: DiskKey): Promise<unknown | undefined>
  /** Entries in ascending key order (numbers before strings, as IndexedDB orders them). */
  getRange(store: DiskStore, range?: DiskRange): Promise<DiskEntry[]>
  /** Applies all ops in one atomic transaction; resolves once durable. An empty list resolves at once. */
  commit(ops: readonly DiskOp[]): Promise<void>
  close(): void
  /** Deletes everything this disk holds. */
  destroy(): Promise<void>
}

/** IndexedDB key order: numbers before strings; strings by UTF-16 code units. */
export function compareDiskKeys(a: DiskKey, b: DiskKey): number {
  if (typeof a === 'number') {
    if (typeof b === 'number') return a - b
    return -1
  }
  if (typeof b === 'number') return 1
  return a < b ? -1 : a > b ? 1 : 0
}
