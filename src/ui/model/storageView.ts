/**
 * The storage panel's explanations: what a "Flush now" / "Compact now" did, and what changed between
 * two polls of a node's SSTables (so a compaction can be animated and captioned, not just appear).
 */
import type { StorageActionResult } from '../../core/node/storageControl'
import type { StorageInspection } from '../../core/storage/engine'

export type TableView = StorageInspection['levels'][number]['tables'][number]
export interface LevelTable extends TableView {
  level: number
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** Every table with its level, in level order. */
export function tablesOf(levels: StorageInspection['levels']): LevelTable[] {
  return levels.flatMap((l) => l.tables.map((t) => ({ ...t, level: l.level })))
}

/** Tables that went away and tables that appeared between two polls. */
export function diffTables(
  before: readonly LevelTable[],
  after: readonly LevelTable[],
): { gone: LevelTable[]; added: LevelTable[] } {
  const had = new Set(before.map((t) => t.id))
  const has = new Set(after.map((t) => t.id))
  return { gone: before.filter((t) => !has.has(t.id)), added: after.filter((t) => !had.has(t.id)) }
}

function ids(ts: readonly LevelTable[]): string {
  const byLevel = new Map<number, number[]>()
  for (const t of ts) byLevel.set(t.level, [...(byLevel.get(t.level) ?? []), t.id])
  return [...byLevel.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([l, xs]) => `L${l} ${xs.map((x) => `#${x}`).join(' ')}`)
    .join(', ')
}

/** "Compacted 4 tables (L0 #3 #4 #5 #6) into L1 #7" or "Flushed the memtable into L0 #9"; null when nothing changed. */
export function tableChangeText(gone: readonly LevelTable[], added: readonly LevelTable[]): string | null {
  if (gone.length > 0) {
    const into = added.length > 0 ? ids(added) : 'nothing (every row was an expired tombstone)'
    return `Compacted ${plural(gone.length, 'table')} (${ids(gone)}) into ${into}`
  }
  if (added.length > 0) return `Flushed the memtable into ${ids(added)}`
  return null
}

/** What a button press did, in words. */
export function storageActionText(r: StorageActionResult): string {
  if (r.action === 'flush') {
    if (r.memtableEntriesBefore === 0) return 'Nothing to flush: the memtable is empty.'
    const l0 = `${r.tablesBefore[0] ?? 0} → ${r.tablesAfter[0] ?? 0}`
    return `Flushed ${plural(r.memtableEntriesBefore, 'entry', 'entries')} from the memtable into a new level-0 SSTable (L0 tables: ${l0}).`
  }
  const before = sum(r.tablesBefore)
  const after = sum(r.tablesAfter)
  if (before === 0) return 'Nothing to compact: no SSTables yet (flush first).'
  if (before === after && r.tablesBefore.join() === r.tablesAfter.join())
    return `Nothing to compact: ${plural(before, 'table')} already in one level, with no tombstones to drop.`
  const deepest = r.tablesAfter.findLastIndex((n) => n > 0)
  return `Compacted ${plural(before, 'table')} into ${plural(after, 'table')}${deepest >= 0 ? ` in L${deepest}` : ''}: overlapping versions merged, the newest kept.`
}
