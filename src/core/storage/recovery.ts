/**
 * Opening an engine over a Disk: load the manifest and the metas of its live tables, garbage-collect
 * tables no manifest references (outputs of a compaction that crashed before publishing, or inputs of
 * one whose deletes were deferred), and read the WAL records written after the last flush.
 */
import type { Disk, DiskOp } from '../disk/disk'
import { dbError } from '../errors'
import type { StoredRecord } from './engine'
import { MANIFEST_KEY, parseManifest } from './manifest'
import { recordBytes } from './recordSize'
import { isTableMeta, META_KEY_LOWER, META_KEY_UPPER, type TableMeta, tableDeleteOps } from './tableFormat'
import { type WalRecord, walRecordAt } from './walWriter'
import { toStorageError } from './writeBatch'

export interface LoadedLsmState {
  levels: TableMeta[][]
  nextTableId: number
  flushedSeq: number
  nextSeq: number
  /** Unflushed WAL entries in log order. */
  wal: Array<{ key: string; record: StoredRecord; seq: number; bytes: number }>
}

/** Reads what a previous run left on `disk` (throws STORAGE_CORRUPT when the manifest names a missing table). */
export async function loadLsmState(disk: Disk): Promise<LoadedLsmState> {
  try {
    const manifest = parseManifest(await disk.get('manifest', MANIFEST_KEY))
    const metaEntries = await disk.getRange('sst', { lower: META_KEY_LOWER, upper: META_KEY_UPPER })
    const live = new Set(manifest.levels.flat())
    const byId = new Map<number, TableMeta>()
    const garbage: DiskOp[] = []
    let idMax = 0
    for (const { value } of metaEntries) {
      const id = (value as { id: number }).id
      idMax = Math.max(idMax, id)
      if (live.has(id) && isTableMeta(value)) byId.set(id, value)
      else if (!live.has(id)) {
        garbage.push(...tableDeleteOps(id))
      }
    }
    const levels = manifest.levels.map((ids) =>
      ids.map((id) => {
        const meta = byId.get(id)
        if (!meta) throw dbError('STORAGE_CORRUPT', `the manifest names table ${id}, whose meta is missing`)
        return meta
      }),
    )
    if (levels.length === 0) levels.push([])
    if (garbage.length > 0) await disk.commit(garbage)
    const wal: LoadedLsmState['wal'] = []
    let lastSeq = manifest.flushedSeq
    for (const { key, value } of await disk.getRange('wal')) {
      const firstSeq = key as number
      const rec = value as WalRecord
      for (let i = 0; i < rec.keys.length; i++) {
        const seq = firstSeq + i
        if (seq <= manifest.flushedSeq) continue
        const record = walRecordAt(rec, i)
        wal.push({ key: rec.keys[i], record, seq, bytes: recordBytes(rec.keys[i], record) })
        lastSeq = Math.max(lastSeq, seq)
      }
    }
    return {
      levels,
      nextTableId: Math.max(manifest.nextTableId, idMax + 1),
      flushedSeq: manifest.flushedSeq,
      nextSeq: lastSeq + 1,
      wal,
    }
  } catch (e) {
    throw toStorageError(e)
  }
}
