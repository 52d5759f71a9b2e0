/**
 * The storage engine contract a node uses. The engine is an LSM tree (WAL, red-black memtable,
 * SSTables, compaction) over a Disk; it stores whatever version metadata the replication layer hands
 * it and never decides which version wins.
 */
import type { DiskOp } from '../disk/disk'
import type { CorruptBlock } from './tableReader'

export type { CorruptBlock }

/** One stored row. */
export interface StoredRecord {
  /** Opaque, structured-cloneable value; null for a tombstone. */
  value: unknown
  tombstone: boolean
  /** Version metadata from the replication layer (Lamport ts, origin, op id, vectors...); opaque here. */
  meta: unknown
  /** Node clock when written; a tombstone older than `tombstoneGraceMs` may be purged by compaction. */
  writtenAtMs: number
}

export interface KeyedRecord {
  key: string
  record: StoredRecord
}

export interface ScanOptions {
  /** Inclusive start key; omitted = first key. */
  start?: string
  /** Exclusive end key; omitted = past the last key. */
  end?: string
  limit?: number
  /** Include tombstones (replication and Merkle need them); default false. */
  includeTombstones?: boolean
}

export interface StorageOptions {
  memtableBytesMax: number
  tombstoneGraceMs: number
  valueBytesMax: number
  blockCacheBytesMax: number
  /** Node clock, for writtenAtMs and the tombstone grace period. */
  nowMs: () => number
}

export interface StorageInspection {
  wal: { entries: number; bytes: number; tail: Array<{ seq: number; key: string; tombstone: boolean }> }
  memtable: { entries: number; bytes: number; sample: Array<{ key: string; tombstone: boolean }> }
  levels: Array<{
    level: number
    tables: Array<{ id: number; minKey: string; maxKey: string; entries: number; bytes: number }>
  }>
  compactions: Array<{
    atMs: number
    fromLevel: number
    toLevel: number
    tablesIn: number
    entriesIn: number
    entriesOut: number
    bytesOut: number
  }>
  writeAmplification: number
  blockCache: { bytes: number; hits: number; misses: number }
  keyCountEstimate: number
  /** Checksum or shape failures found: blocks (each quarantined, never served) and WAL records. */
  corruption: { blocksFound: number; walTailDropped: number; quarantined: CorruptBlock[] }
  /** Group commit: its batching window now (ms, 0 = off or idle), commits and writes so far. */
  groupCommit?: { windowMs: number; windowMsMax: number; groups: number; writes: number }
}

export interface StorageEngine {
  /**
   * Loads the manifest and replays the WAL. Must be called once before anything else. Returns the
   * records replayed from the WAL in log order, so the owner can rebuild what it derives from them,
   * and the attachments of the replayed WAL records (see `write`), oldest first.
   */
  open(): Promise<{ replayed: KeyedRecord[]; attachments: unknown[] }>
  get(key: string): Promise<StoredRecord | undefined>
  /** `get` without I/O: the answer when memory (memtables, Bloom filters, cached blocks) has it, else null. */
  peek(key: string): { record: StoredRecord | undefined } | null
  /**
   * Logs then applies a batch; resolves once durable. Writes issued in the same tick share one
   * Disk commit (group commit). `extra` Disk ops ride in the same transaction (replication log, hints).
   * `attach` (structured-cloneable, checksummed; only with a non-empty batch) is stored inside the
   * batch's WAL record, which saves a put of its own: the node's metadata snapshot rides there. It
   * comes back from `open` while the record is in the WAL, and goes to the flush hook when a flush
   * drops the record.
   */
  write(batch: readonly KeyedRecord[], extra?: readonly DiskOp[], attach?: unknown): Promise<void>
  /** Ordered scan through memtable and tables with a merging iterator. */
  scan(opts?: ScanOptions): Promise<KeyedRecord[]>
  /**
   * Extra Disk ops the owner wants in every flush transaction (e.g. a metadata snapshot). `dropped`:
   * the newest attachment among the WAL records the flush deletes (undefined if none had one).
   */
  setFlushHook(hook: (dropped: unknown) => readonly DiskOp[]): void
  /**
   * Called once per block found corrupt (checksum or shape). The engine quarantines it: the read that
   * found it fails STORAGE_CORRUPT, later reads and scans skip it, so its rows read as absent (or as
   * an older version from a deeper level) until the owner recovers them from peers.
   */
  setCorruptionHook(hook: (c: CorruptBlock) => void): void
  flush(): Promise<void>
  compact(): Promise<void>
  inspect(): StorageInspection
  close(): Promise<void>
}
