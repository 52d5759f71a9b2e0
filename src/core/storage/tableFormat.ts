/**
 * On-disk layout of SSTables in the Disk store 'sst'.
 * - Block `tableId * BLOCKS_PER_TABLE_MAX + blockNo` (a number): a sorted run of entries, columnar.
 * - Meta `meta/<tableId, 10 digits>` (a string, so all metas sort after all blocks): key range, entry
 *   count, sparse index (first key and size of each block) and Bloom filter. A meta with `pending`
 *   marks a table being written by compaction that no manifest references yet.
 */
import type { DiskOp } from '../disk/disk'
import type { BloomFilter } from './bloomFilter'
import type { Columns } from './checksum'
import type { StoredRecord } from './engine'

export const BLOCKS_PER_TABLE_MAX = 2 ** 20
export const META_KEY_LOWER = 'meta/'
export const META_KEY_UPPER = 'meta/\uffff'

/** A block: parallel columns, which clone faster than one object per entry, and their CRC-32. */
export type Block = Columns

export interface TableMeta {
  id: number
  entries: number
  tombstones: number
  bytes: number
  minKey: string
  maxKey: string
  /** Sparse index: first key and estimated bytes of each block. */
  blockFirstKeys: string[]
  blockBytes: number[]
  bloom: BloomFilter
  createdAtMs: number
  /** Every block carries a CRC-32 (tables written before checksums lack this and are legacy). */
  checksums?: true
}

export interface PendingTableMarker {
  id: number
  pending: true
}

/** The Disk key of a table block. */
export function blockKey(tableId: number, blockNo: number): number {
  return tableId * BLOCKS_PER_TABLE_MAX + blockNo
}

/** The table a block key belongs to. */
export function tableOfBlockKey(key: number): number {
  return Math.floor(key / BLOCKS_PER_TABLE_MAX)
}

/** The Disk key of a table's meta record. */
export function metaKey(tableId: number): string {
  return META_KEY_LOWER + String(tableId).padStart(10, '0')
}

/** True for a full table meta (not a pending marker). */
export function isTableMeta(v: unknown): v is TableMeta {
  return typeof v === 'object' && v !== null && Array.isArray((v as TableMeta).blockFirstKeys)
}

/** The block that may hold `key` (-1 when key sorts before the table). */
export function findBlock(meta: TableMeta, key: string): number {
  let lo = 0
  let hi = meta.blockFirstKeys.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (meta.blockFirstKeys[mid] <= key) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

/** Index of the first key >= `key` in a block (keys.length when none). */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid] < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Rebuilds the record at position i of a block. */
export function recordAt(block: Block, i: number): StoredRecord {
  return {
    value: block.values[i],
    tombstone: block.tombstones[i] === 1,
    meta: block.metas[i],
    writtenAtMs: block.writtenAtMs[i],
  }
}

/** Whether [minKey, maxKey] of a table intersects [start, end). */
export function tableOverlaps(meta: TableMeta, start?: string, end?: string): boolean {
  return (start === undefined || meta.maxKey >= start) && (end === undefined || meta.minKey < end)
}

/** Disk ops that delete a table: all its blocks and its meta. */
export function tableDeleteOps(tableId: number): DiskOp[] {
  return [
    {
      type: 'deleteRange',
      store: 'sst',
      lower: blockKey(tableId, 0),
      upper: blockKey(tableId, BLOCKS_PER_TABLE_MAX - 1),
    },
    { type: 'delete', store: 'sst', key: metaKey(tableId) },
  ]
}
