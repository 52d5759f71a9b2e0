/**
 * MVCC at a lock owner: a bounded in-memory history of each key's committed versions, as this node
 * saw them become current (a snapshot read's current row, a prepare's row under its X lock). Every
 * transactional commit of a key prepares here first, and its prepare notes the row it replaces, so
 * from the oldest entry kept onward no transactional version is missing: the newest entry with
 * ts ≤ S is the key's state at S. Older than the oldest entry kept: unknown (snapshot too old).
 */
import type { RowVersion } from '../protocol/messages'
import { compareVersions, type Version } from '../replication/version'

/** Versions kept per key (the oldest goes first). */
export const VERSIONS_PER_KEY_MAX = 8
/** Keys with a history (the least recently noted goes first). */
export const HISTORY_KEYS_MAX = 4096
/** Bytes of keys and values kept over all histories (the least recently noted key goes first). */
export const HISTORY_BYTES_MAX = 16 * 1024 * 1024

/** "No row": older than every version, so a key noted absent answers null for any snapshot. */
const NONE: Version = { ts: 0, node: '' as Version['node'] }

interface Entry {
  version: Version
  row: RowVersion | null
}

export class VersionHistory {
  private readonly keys = new Map<string, Entry[]>()
  private bytes = 0

  constructor(
    private readonly perKeyMax = VERSIONS_PER_KEY_MAX,
    private readonly keysMax = HISTORY_KEYS_MAX,
    private readonly bytesMax = HISTORY_BYTES_MAX,
  ) {}

  /** Notes `row` (null: no row) as a committed version of `key` (in version order; once). */
  note(key: string, row: RowVersion | null): void {
    const list = this.keys.get(key) ?? []
    this.keys.delete(key) // re-inserted last: most recently noted
    this.keys.set(key, list)
    const version = row?.version ?? NONE
    let i = list.length
    while (i > 0 && compareVersions(list[i - 1].version, version) > 0) i--
    if (i > 0 && compareVersions(list[i - 1].version, version) === 0) return
    list.splice(i, 0, { version, row })
    this.bytes += sizeOf(key, row)
    while (list.length > this.perKeyMax) this.bytes -= sizeOf(key, (list.shift() as Entry).row)
    while (this.keys.size > this.keysMax || (this.bytes > this.bytesMax && this.keys.size > 1))
      this.evictOldestKey()
  }

  /**
   * The key's committed row at snapshot `readTs`: the newest entry with ts ≤ readTs (`row` null:
   * no row then). Undefined when the history does not reach back that far.
   */
  at(key: string, readTs: number): { row: RowVersion | null } | undefined {
    const list = this.keys.get(key)
    if (!list) return undefined
    for (let i = list.length - 1; i >= 0; i--) if (list[i].version.ts <= readTs) return { row: list[i].row }
    return undefined
  }

  /** Versions kept of `key` (tests, inspection). */
  versionsOf(key: string): number {
    return this.keys.get(key)?.length ?? 0
  }

  private evictOldestKey(): void {
    const [key, list] = this.keys.entries().next().value as [string, Entry[]]
    this.keys.delete(key)
    for (const e of list) this.bytes -= sizeOf(key, e.row)
  }
}

function sizeOf(key: string, row: RowVersion | null): number {
  return key.length + (row?.value?.length ?? 0) + 48
}
