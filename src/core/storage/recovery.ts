/**
 * Opening an engine over a Disk: load the manifest and the metas of its live tables, garbage-collect
 * tables no manifest references (outputs of a compaction that crashed before publishing, or inputs of
 * one whose deletes were deferred), and read the WAL records written after the last flush.
 */
import type { Disk, DiskOp } from '../disk/disk'
import { dbError } from '../errors'
import { attachChecksum, columnsProblem } from './checksum'
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
  /** The attachments of the WAL records replayed, oldest first (StorageEngine.write). */
  attachments: unknown[]
  /** 1 when the last WAL record was unreadable and dropped (a torn tail), else 0. */
  walTailDropped: number
}

/** Why a stored table meta is unusable, or null. */
function tableMetaProblem(m: TableMeta): string | null {
  const n = m.blockFirstKeys.length
  if (!Array.isArray(m.blockBytes) || m.blockBytes.length !== n) return 'its block sizes are malformed'
  if (typeof m.minKey !== 'string' || typeof m.maxKey !== 'string') return 'its key range is malformed'
  if (!m.blockFirstKeys.every((k) => typeof k === 'string')) return 'its sparse index is malformed'
  const b = m.bloom as { bits?: unknown } | undefined
  if (typeof b !== 'object' || b === null || !(b.bits instanceof Uint8Array || b.bits instanceof Uint32Array))
    return 'its Bloom filter is malformed'
  return null
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
    for (const { key, value } of metaEntries) {
      const id = (value as { id?: unknown } | null)?.id
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0)
        throw dbError('STORAGE_CORRUPT', `table meta ${String(key)} is unreadable`)
      if (live.has(id) && isTableMeta(value)) {
        const problem = tableMetaProblem(value)
        if (problem) throw dbError('STORAGE_CORRUPT', `table meta ${id}: ${problem}`)
      }
      idMax = Math.max(idMax, id)
      if (live.has(id) && isTableMeta(value)) byId.set(id, value)
      else if (!live.has(id)) {
        garbage.push(...tableDeleteOps(id))
      }
    }
    const levels = manifest.levels.map((ids) =>
      ids.map((id) => {
        const meta = byId.get(id)
        if (!meta)
          throw dbError(
            'STORAGE_CORRUPT',
            `the manifest names table ${id}, whose meta is missing or unreadable`,
          )
        return meta
      }),
    )
    if (levels.length === 0) levels.push([])
    if (garbage.length > 0) await disk.commit(garbage)
    const wal: LoadedLsmState['wal'] = []
    const attachments: unknown[] = []
    let lastSeq = manifest.flushedSeq
    let walTailDropped = 0
    const walEntries = await disk.getRange('wal')
    for (let r = 0; r < walEntries.length; r++) {
      const { key, value } = walEntries[r]
      const firstSeq = key as number
      const problem =
        typeof key !== 'number'
          ? 'its key is not a sequence number'
          : (columnsProblem(value) ?? attachProblem(value))
      if (problem) {
        // A torn last record is what a crash mid-write leaves: drop it, as LevelDB drops a torn tail.
        // Anything earlier was followed by later durable writes, so it is real corruption.
        if (r < walEntries.length - 1)
          throw dbError('STORAGE_CORRUPT', `WAL record ${String(key)} is corrupt (${problem})`, {
            where: 'wal',
            key,
          })
        await disk.commit([{ type: 'delete', store: 'wal', key }])
        walTailDropped = 1
        break
      }
      const rec = value as WalRecord
      if (rec.attach !== undefined) attachments.push(rec.attach)
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
      attachments,
      walTailDropped,
    }
  } catch (e) {
    throw toStorageError(e)
  }
}

/** Why a WAL record's attachment is unusable (its CRC-32 does not match), or null. */
function attachProblem(value: unknown): string | null {
  const rec = value as WalRecord
  if (rec.attach === undefined) return null
  return rec.attachCrc === attachChecksum(rec.attach) ? null : 'attachment checksum mismatch'
}
