/**
 * The merging iterator behind scans and compaction: several sorted cursors, newest source first;
 * for each key only the newest source's record comes out.
 */
import type { KeyedRecord, StoredRecord } from './engine'

/** A sorted source of records; `key` is undefined once exhausted. next() may load a block. */
export interface RecordCursor {
  readonly key: string | undefined
  readonly record: StoredRecord
  next(): void | Promise<void>
}

/** Yields the newest record of each key in key order; `cursors[0]` is the newest source. */
export async function* mergeNewest(cursors: readonly RecordCursor[]): AsyncGenerator<KeyedRecord> {
  for (;;) {
    let minKey: string | undefined
    let winner = -1
    for (let i = 0; i < cursors.length; i++) {
      const k = cursors[i].key
      if (k !== undefined && (minKey === undefined || k < minKey)) {
        minKey = k
        winner = i
      }
    }
    if (minKey === undefined) return
    const record = cursors[winner].record
    for (const c of cursors) {
      if (c.key === minKey) {
        const pending = c.next()
        if (pending) await pending
      }
    }
    yield { key: minKey, record }
  }
}

/** A cursor over a sorted in-memory array (tests and small sources). */
export function arrayCursor(entries: readonly KeyedRecord[]): RecordCursor {
  let i = 0
  return {
    get key() {
      return entries[i]?.key
    },
    get record() {
      return entries[i].record
    },
    next() {
      i++
    },
  }
}
