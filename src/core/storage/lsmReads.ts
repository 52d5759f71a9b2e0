/**
 * The read path over one consistent view (memtables + table levels captured in the same tick):
 * point lookups newest-first with Bloom filters, and merging scans.
 */
import { keyHashes } from './bloomFilter'
import type { KeyedRecord, ScanOptions, StoredRecord } from './engine'
import type { Memtable } from './memtable'
import { mergeNewest } from './mergeCursor'
import { type TableMeta, tableOverlaps } from './tableFormat'
import type { TableReader } from './tableReader'

export interface ReadView {
  /** Newest first: the active memtable, then the immutable one if any. */
  memtables: Memtable[]
  levels: readonly TableMeta[][]
  tables: TableReader
}

/** The table of a sorted, non-overlapping level whose range holds `key`. */
function tableHolding(level: readonly TableMeta[], key: string): TableMeta | undefined {
  let lo = 0
  let hi = level.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (level[mid].maxKey < key) lo = mid + 1
    else hi = mid - 1
  }
  const t = level[lo]
  return t && t.minKey <= key ? t : undefined
}

/** Newest record of `key`: memtables, then level 0 newest first, then one table per deeper level. */
export async function getFromView(view: ReadView, key: string): Promise<StoredRecord | undefined> {
  for (const mem of view.memtables) {
    const hit = mem.get(key)
    if (hit) return hit
  }
  const hashes = keyHashes(key)
  for (const t of view.levels[0] ?? []) {
    const r = await view.tables.get(t, key, hashes)
    if (r) return r
  }
  for (let n = 1; n < view.levels.length; n++) {
    const t = tableHolding(view.levels[n], key)
    const r = t && (await view.tables.get(t, key, hashes))
    if (r) return r
  }
  return undefined
}

/**
 * The same lookup without I/O: `{ record }` when memtables, Bloom filters and cached blocks answer
 * it, null when a block would have to be read. Replicas check the stored version of every op they
 * apply; almost always the key is in a memtable or absent everywhere, and the async path's promises
 * were a visible share of that work.
 */
export function peekFromView(view: ReadView, key: string): { record: StoredRecord | undefined } | null {
  for (const mem of view.memtables) {
    const hit = mem.get(key)
    if (hit) return { record: hit }
  }
  const hashes = keyHashes(key)
  for (const t of view.levels[0] ?? []) {
    const r = view.tables.peek(t, key, hashes)
    if (r === null || r.record) return r
  }
  for (let n = 1; n < view.levels.length; n++) {
    const t = tableHolding(view.levels[n], key)
    if (!t) continue
    const r = view.tables.peek(t, key, hashes)
    if (r === null || r.record) return r
  }
  return { record: undefined }
}

/** A merging scan over every source overlapping [start, end). */
export async function scanView(view: ReadView, opts: ScanOptions): Promise<KeyedRecord[]> {
  const { start, end, includeTombstones = false } = opts
  const out: KeyedRecord[] = []
  const max = opts.limit ?? Number.POSITIVE_INFINITY
  if (max <= 0) return out
  const memCursors = view.memtables.map((m) => m.cursor(start))
  const tables = view.levels.flatMap((l) => l.filter((t) => tableOverlaps(t, start, end)))
  const tableCursors = await Promise.all(tables.map((t) => view.tables.cursor(t, start)))
  for await (const { key, record } of mergeNewest([...memCursors, ...tableCursors])) {
    if (end !== undefined && key >= end) break
    if (record.tombstone && !includeTombstones) continue
    out.push({ key, record })
    if (out.length >= max) break
  }
  return out
}
