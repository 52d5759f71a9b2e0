import { describe, expect, it } from 'vitest'
import { diffTables, type LevelTable, storageActionText, tableChangeText } from './storageView'

const t = (id: number, level: number): LevelTable => ({
  id,
  level,
  minKey: 'a',
  maxKey: 'z',
  entries: 1,
  bytes: 10,
})

describe('storage panel explanations', () => {
  it('names the tables a compaction merged and the ones it wrote; a new L0 table is a flush', () => {
    const before = [t(3, 0), t(4, 0), t(5, 0), t(6, 0), t(2, 1)]
    const after = [t(7, 1)]
    const d = diffTables(before, after)
    expect(d.gone.map((x) => x.id)).toEqual([3, 4, 5, 6, 2])
    expect(d.added.map((x) => x.id)).toEqual([7])
    expect(tableChangeText(d.gone, d.added)).toBe('Compacted 5 tables (L0 #3 #4 #5 #6, L1 #2) into L1 #7')
    const f = diffTables(after, [...after, t(8, 0)])
    expect(tableChangeText(f.gone, f.added)).toBe('Flushed the memtable into L0 #8')
    expect(tableChangeText([], [])).toBeNull()
  })

  it('says what a button did, and when there was nothing to do', () => {
    const r = { tablesBefore: [1], tablesAfter: [2], memtableEntriesBefore: 12, memtableEntriesAfter: 0 }
    expect(storageActionText({ action: 'flush', ...r })).toBe(
      'Flushed 12 entries from the memtable into a new level-0 SSTable (L0 tables: 1 → 2).',
    )
    expect(storageActionText({ ...r, action: 'flush', memtableEntriesBefore: 0 })).toBe(
      'Nothing to flush: the memtable is empty.',
    )
    expect(
      storageActionText({
        action: 'compact',
        tablesBefore: [3, 1],
        tablesAfter: [0, 1],
        memtableEntriesBefore: 0,
        memtableEntriesAfter: 0,
      }),
    ).toBe('Compacted 4 tables into 1 table in L1: overlapping versions merged, the newest kept.')
    expect(
      storageActionText({
        action: 'compact',
        tablesBefore: [0, 1],
        tablesAfter: [0, 1],
        memtableEntriesBefore: 0,
        memtableEntriesAfter: 0,
      }),
    ).toBe('Nothing to compact: 1 table already in one level, with no tombstones to drop.')
    expect(
      storageActionText({
        action: 'compact',
        tablesBefore: [],
        tablesAfter: [],
        memtableEntriesBefore: 0,
        memtableEntriesAfter: 0,
      }),
    ).toBe('Nothing to compact: no SSTables yet (flush first).')
  })
})
