/** Builds the StorageInspection snapshot the inspector panel shows. */
import type { StorageInspection } from './engine'
import type { Memtable } from './memtable'
import type { TableMeta } from './tableFormat'
import type { TableReader } from './tableReader'

const MEMTABLE_SAMPLE_MAX = 16
const WAL_TAIL_MAX = 16

export interface LsmInspectable {
  active: Memtable
  immutable: Memtable | null
  levels: TableMeta[][]
  flushedSeq: number
  userBytes: number
  diskBytes: number
  history: StorageInspection['compactions']
  walTail: StorageInspection['wal']['tail']
  tables: TableReader
  corruptBlocksFound: number
  walTailDropped: number
}

/** A plain-data snapshot of an engine's state (safe to post to the UI). */
export function inspectLsm(lsm: LsmInspectable): StorageInspection {
  const mems = lsm.immutable ? [lsm.active, lsm.immutable] : [lsm.active]
  const sample: StorageInspection['memtable']['sample'] = []
  for (const mem of mems) {
    for (const [key, record] of mem.tree.entries()) {
      if (sample.length >= MEMTABLE_SAMPLE_MAX) break
      sample.push({ key, tombstone: record.tombstone })
    }
  }
  const tableEntries = lsm.levels.flat().reduce((s, t) => s + t.entries, 0)
  const memEntries = mems.reduce((s, m) => s + m.entries, 0)
  return {
    wal: {
      entries: mems.reduce((s, m) => s + m.walEntries, 0),
      bytes: mems.reduce((s, m) => s + m.walBytes, 0),
      tail: lsm.walTail.filter((e) => e.seq > lsm.flushedSeq).slice(-WAL_TAIL_MAX),
    },
    memtable: { entries: memEntries, bytes: mems.reduce((s, m) => s + m.bytes, 0), sample },
    levels: lsm.levels.map((tables, level) => ({
      level,
      tables: tables.map((t) => ({
        id: t.id,
        minKey: t.minKey,
        maxKey: t.maxKey,
        entries: t.entries,
        bytes: t.bytes,
      })),
    })),
    compactions: lsm.history.map((c) => ({ ...c })),
    writeAmplification: lsm.userBytes > 0 ? lsm.diskBytes / lsm.userBytes : 0,
    blockCache: {
      bytes: lsm.tables.cache.bytes,
      hits: lsm.tables.cache.hits,
      misses: lsm.tables.cache.misses,
    },
    keyCountEstimate: tableEntries + memEntries,
    corruption: {
      blocksFound: lsm.corruptBlocksFound,
      walTailDropped: lsm.walTailDropped,
      quarantined: [...lsm.tables.quarantined.values()].map((c) => ({ ...c })),
    },
  }
}
