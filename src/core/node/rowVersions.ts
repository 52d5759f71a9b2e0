/**
 * The newest version a node holds or is writing for each key — what the LWW rule compares an incoming
 * op against. Stored versions come from the engine (from memory through `peek` when it can answer,
 * without a promise); versions that joined a group commit but are not durable yet are kept here until
 * their commit lands, so two ops for one key in one batch cannot both look newest.
 */
import { compareVersions, type Version } from '../replication/version'
import type { KeyedRecord, StorageEngine, StoredRecord } from '../storage/engine'
import { type RecordMeta, recordVersion } from './rows'

export class RowVersions {
  /** Versions that joined a group commit and are not durable yet, per key. */
  private readonly pending = new Map<string, Version>()

  constructor(private readonly engine: StorageEngine) {}

  /** The stored record of a key: from memory when it answers (no promise), else from storage. */
  stored(key: string): StoredRecord | undefined | Promise<StoredRecord | undefined> {
    const peeked = this.engine.peek(key)
    return peeked ? peeked.record : this.engine.get(key)
  }

  /** The newer of a stored record's version and the version being written for the key, if any. */
  newestOf(key: string, stored: StoredRecord | undefined): Version | null {
    const pending = this.pending.get(key) ?? null
    const storedV = stored ? recordVersion(stored) : null
    if (!pending) return storedV
    if (!storedV) return pending
    return compareVersions(pending, storedV) >= 0 ? pending : storedV
  }

  /**
   * The newest version held or being written for a key. The storage read is awaited first and the
   * in-flight versions are consulted synchronously after it, so check-then-write stays atomic.
   */
  async current(key: string): Promise<() => Version | null> {
    const stored = await this.stored(key)
    return () => this.newestOf(key, stored)
  }

  /** A version that joined a group commit. */
  writing(key: string, version: Version): void {
    this.pending.set(key, version)
  }

  /**
   * Rows whose commit failed: nothing of them is stored, so they no longer count as being written
   * (else the node would discard a resend of the same op as "not newer" and acknowledge it, and
   * never hold the row: found by the disk-fault sweep, src/sim/diskFaults.test.ts). Groups commit one
   * at a time, so every earlier group has settled; a later one's newer version for the key stays.
   */
  failed(records: readonly KeyedRecord[]): void {
    this.durable(records)
  }

  /** Rows whose commit landed: their versions are the engine's now. */
  durable(records: readonly KeyedRecord[]): void {
    for (const r of records) {
      const pending = this.pending.get(r.key)
      if (pending && compareVersions(pending, r.record.meta as RecordMeta as Version) === 0)
        this.pending.delete(r.key)
    }
  }
}
