/** How a row is stored: the value and tombstone flag, with the version metadata LWW compares. */
import { dbError } from '../errors'
import type { NodeId, OpId } from '../ids'
import type { RowVersion } from '../protocol/messages'
import type { Op, Version } from '../replication/version'
import type { StoredRecord } from '../storage/engine'

/** The version metadata a node stores with every row (the engine keeps it opaque). */
export interface RecordMeta {
  ts: number
  node: NodeId
  opId?: OpId
}

/** The stored form of an op's row. */
export function opRecord(op: Op): StoredRecord {
  // No op id: nothing reads it back, and with seqs past the clock floor (~16 digits) it was a third
  // of a small row's meta, so the memtable filled and flushed sooner (bench:worker).
  const meta: RecordMeta = { ts: op.version.ts, node: op.version.node }
  return { value: op.value, tombstone: op.tombstone, meta, writtenAtMs: op.writtenAtMs }
}

/** A stored row's version. */
export function recordVersion(r: StoredRecord): Version {
  const m = r.meta as RecordMeta
  return { ts: m.ts, node: m.node }
}

/** A stored row as it travels (reads, repair, Merkle). */
export function recordRow(key: string, r: StoredRecord): RowVersion {
  return {
    key,
    value: r.tombstone ? null : (r.value as string),
    tombstone: r.tombstone,
    version: recordVersion(r),
    writtenAtMs: r.writtenAtMs,
  }
}

/** The stored form of a row that arrived (read repair, Merkle streaming, hand-over). */
export function rowRecord(row: RowVersion): StoredRecord {
  const meta: RecordMeta = { ts: row.version.ts, node: row.version.node }
  return { value: row.value, tombstone: row.tombstone, meta, writtenAtMs: row.writtenAtMs }
}

/** An op as the row it writes. */
export function opRow(op: Op): RowVersion {
  return {
    key: op.key,
    value: op.value,
    tombstone: op.tombstone,
    version: op.version,
    writtenAtMs: op.writtenAtMs,
  }
}

/**
 * Throws STORAGE_CORRUPT unless a stored row has the shape this node writes (a string value or a
 * tombstone, a {ts, node} version): the last guard for tables written before block checksums.
 */
export function checkStoredRow(key: string, r: StoredRecord): void {
  const m = r.meta as Partial<RecordMeta> | null
  const bad =
    typeof r.tombstone !== 'boolean' ||
    (!r.tombstone && typeof r.value !== 'string') ||
    typeof m !== 'object' ||
    m === null ||
    typeof m.ts !== 'number' ||
    typeof m.node !== 'string'
  if (bad) throw dbError('STORAGE_CORRUPT', `the stored row of ${key} is malformed; not served`, { key })
}
