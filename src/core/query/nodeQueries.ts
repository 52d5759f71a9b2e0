/**
 * What a node adds for queries: its secondary indexes and its read cache, both kept current from the
 * one place every apply path goes through (the node's "rows became durable" callbacks), and both
 * rebuilt (index) or started empty (cache) on open.
 */
import type { KeyedRecord, StorageEngine, StoredRecord } from '../storage/engine'
import { ReadCache } from './readCache'
import { SecondaryIndex } from './secondaryIndex'

/** What the query subsystem uses of a node. */
export interface QueryHost {
  readonly engine: Pick<StorageEngine, 'get' | 'scan'>
  readonly config: { readonly indexFields?: readonly string[]; readonly cacheSize?: number }
  readonly onRowsDurable: Array<(records: readonly KeyedRecord[]) => void>
}

/** Rows read per page while rebuilding the indexes on open. */
const REBUILD_PAGE_ROWS = 2000

export class NodeQueries {
  readonly index: SecondaryIndex | null
  readonly cache: ReadCache | null

  private constructor(private readonly host: QueryHost) {
    const fields = host.config.indexFields ?? []
    this.index = fields.length > 0 ? new SecondaryIndex(fields) : null
    const size = host.config.cacheSize ?? 0
    this.cache = size > 0 ? new ReadCache(size) : null
  }

  /** Builds the indexes from storage and subscribes both to every durable row. */
  static async install(host: QueryHost): Promise<NodeQueries> {
    const q = new NodeQueries(host)
    if (q.index) {
      let start: string | undefined
      for (;;) {
        const page = await host.engine.scan({ start, limit: REBUILD_PAGE_ROWS + 1 })
        q.index.apply(page.slice(0, REBUILD_PAGE_ROWS))
        if (page.length <= REBUILD_PAGE_ROWS) break
        start = page[REBUILD_PAGE_ROWS].key
      }
    }
    if (q.index || q.cache) host.onRowsDurable.push((records) => q.onDurable(records))
    return q
  }

  private onDurable(records: readonly KeyedRecord[]): void {
    if (this.cache) for (const r of records) this.cache.invalidate(r.key)
    this.index?.apply(records)
  }

  /** The stored row of a key, through the read cache when there is one. */
  stored(key: string): Promise<StoredRecord | undefined> {
    if (!this.cache) return this.host.engine.get(key)
    return this.cache.get(key, (k) => this.host.engine.get(k))
  }

  /** Figures for inspect() and the node card. */
  stats(): {
    index: ReturnType<SecondaryIndex['stats']> | null
    cache: ReturnType<ReadCache['stats']> | null
  } {
    return { index: this.index?.stats() ?? null, cache: this.cache?.stats() ?? null }
  }
}
