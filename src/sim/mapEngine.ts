/**
 * A minimal StorageEngine that writes rows straight to the Disk ('sst' store, one record per key).
 * It is correct and crash-safe but not an LSM tree; it stands in until the LSM engine is wired in, and
 * stays useful as the simplest reference implementation in tests.
 */
import type { Disk, DiskOp } from '../core/disk/disk'
import type {
  KeyedRecord,
  ScanOptions,
  StorageEngine,
  StorageInspection,
  StoredRecord,
} from '../core/storage/engine'

export class MapEngine implements StorageEngine {
  private rows = new Map<string, StoredRecord>()
  private flushHook: () => readonly DiskOp[] = () => []
  constructor(private readonly disk: Disk) {}

  async open(): Promise<{ replayed: KeyedRecord[] }> {
    for (const { key, value } of await this.disk.getRange('sst'))
      this.rows.set(String(key), value as StoredRecord)
    return { replayed: [] }
  }

  async get(key: string): Promise<StoredRecord | undefined> {
    return this.rows.get(key)
  }

  async write(batch: readonly KeyedRecord[], extra: readonly DiskOp[] = []): Promise<void> {
    await this.disk.commit([
      ...batch.map((r) => ({ type: 'put', store: 'sst', key: r.key, value: r.record }) as DiskOp),
      ...extra,
    ])
    for (const r of batch) this.rows.set(r.key, r.record)
  }

  async scan(opts: ScanOptions = {}): Promise<KeyedRecord[]> {
    const keys = [...this.rows.keys()].sort()
    const out: KeyedRecord[] = []
    for (const key of keys) {
      if (opts.start !== undefined && key < opts.start) continue
      if (opts.end !== undefined && key >= opts.end) break
      const record = this.rows.get(key)!
      if (record.tombstone && !opts.includeTombstones) continue
      out.push({ key, record })
      if (opts.limit !== undefined && out.length >= opts.limit) break
    }
    return out
  }

  setFlushHook(hook: () => readonly DiskOp[]): void {
    this.flushHook = hook
  }

  async flush(): Promise<void> {
    await this.disk.commit(this.flushHook())
  }

  async compact(): Promise<void> {}

  inspect(): StorageInspection {
    return {
      wal: { entries: 0, bytes: 0, tail: [] },
      memtable: { entries: 0, bytes: 0, sample: [] },
      levels: [],
      compactions: [],
      writeAmplification: 1,
      blockCache: { bytes: 0, hits: 0, misses: 0 },
      keyCountEstimate: this.rows.size,
    }
  }

  async close(): Promise<void> {}
}
