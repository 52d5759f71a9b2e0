/**
 * The read cache (the seed's cache_size): a per-node LRU of stored rows recently read, consulted
 * before the storage engine. Every row that becomes durable on the node invalidates its key (all
 * apply paths end in one group commit), and a read that was in flight across such a write does not
 * fill the cache with what it read, so the cache never serves a row older than storage's.
 */
import type { StoredRecord } from '../storage/engine'

/** A cached row: the record, or undefined for a key the node does not hold. */
type Entry = { record: StoredRecord | undefined }

export class ReadCache {
  private readonly entries = new Map<string, Entry>()
  /** Keys being read from storage now → whether a write landed meanwhile (then: do not fill). */
  private readonly filling = new Map<string, { dirty: boolean; readers: number }>()
  hits = 0
  misses = 0
  invalidations = 0

  constructor(readonly capacity: number) {}

  /** The stored row of `key`, from the cache or through `load` (which then fills it). */
  async get(
    key: string,
    load: (key: string) => Promise<StoredRecord | undefined>,
  ): Promise<StoredRecord | undefined> {
    const hit = this.entries.get(key)
    if (hit) {
      this.hits++
      this.entries.delete(key)
      this.entries.set(key, hit)
      return hit.record
    }
    this.misses++
    let fill = this.filling.get(key)
    if (!fill) {
      fill = { dirty: false, readers: 0 }
      this.filling.set(key, fill)
    }
    fill.readers++
    try {
      const record = await load(key)
      if (!fill.dirty) this.put(key, { record })
      return record
    } finally {
      if (--fill.readers === 0) this.filling.delete(key)
    }
  }

  private put(key: string, e: Entry): void {
    this.entries.delete(key)
    this.entries.set(key, e)
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string)
  }

  /** A row of `key` became durable: forget it, and spoil fills in flight. */
  invalidate(key: string): void {
    if (this.entries.delete(key)) this.invalidations++
    const fill = this.filling.get(key)
    if (fill) fill.dirty = true
  }

  stats(): { size: number; capacity: number; hits: number; misses: number; invalidations: number } {
    return {
      size: this.entries.size,
      capacity: this.capacity,
      hits: this.hits,
      misses: this.misses,
      invalidations: this.invalidations,
    }
  }
}
