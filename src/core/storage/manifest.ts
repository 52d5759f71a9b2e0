/**
 * The manifest (Disk store 'manifest', key 'current'): which tables are live at which level, the next
 * table id, and the highest WAL sequence number already flushed into tables. Every flush and
 * compaction replaces it in the same Disk commit that writes its tables, so a crash never exposes a
 * half-done flush or compaction.
 */
import type { DiskOp } from '../disk/disk'
import { dbError } from '../errors'
import type { TableMeta } from './tableFormat'

export const MANIFEST_KEY = 'current'
export const MANIFEST_FORMAT = 1

export interface Manifest {
  format: typeof MANIFEST_FORMAT
  /** Table ids per level. Level 0 is newest first (tables overlap); deeper levels are sorted by key. */
  levels: number[][]
  nextTableId: number
  flushedSeq: number
}

/** The manifest of a fresh disk. */
export function emptyManifest(): Manifest {
  return { format: MANIFEST_FORMAT, levels: [[]], nextTableId: 1, flushedSeq: 0 }
}

/** Validates a manifest read from disk (undefined = fresh disk). */
export function parseManifest(raw: unknown): Manifest {
  if (raw === undefined) return emptyManifest()
  const m = raw as Manifest
  if (typeof m !== 'object' || m === null || m.format !== MANIFEST_FORMAT || !Array.isArray(m.levels)) {
    throw dbError('STORAGE_CORRUPT', 'unreadable storage manifest')
  }
  const isId = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0
  if (!m.levels.every((l) => Array.isArray(l) && l.every(isId)))
    throw dbError('STORAGE_CORRUPT', 'storage manifest: the table ids per level are malformed')
  if (!isId(m.nextTableId)) throw dbError('STORAGE_CORRUPT', 'storage manifest: nextTableId is malformed')
  if (!Number.isSafeInteger(m.flushedSeq) || m.flushedSeq < 0)
    throw dbError('STORAGE_CORRUPT', 'storage manifest: flushedSeq is malformed')
  return m
}

/** The put that records `levels` as the live tables. */
export function manifestPut(levels: readonly TableMeta[][], nextTableId: number, flushedSeq: number): DiskOp {
  const value: Manifest = {
    format: MANIFEST_FORMAT,
    levels: levels.map((l) => l.map((t) => t.id)),
    nextTableId,
    flushedSeq,
  }
  return { type: 'put', store: 'manifest', key: MANIFEST_KEY, value }
}
