/**
 * The newest row a node holds or is writing for each key — what the conflict mode resolves an
 * incoming op against. Stored rows come from the engine (from memory through `peek` when it can
 * answer, without a promise); rows that joined a group commit but are not durable yet are kept here
 * until their commit lands, so two ops for one key in one batch cannot both look newest (LWW) and a
 * merge always builds on the previous merge (merging modes).
 */
import type { ConflictMode } from '../conflict/types'
import type { KeyedRecord, StorageEngine, StoredRecord } from '../storage/engine'

export class RowVersions {
  /** Records that joined a group commit and are not durable yet, per key. */
  private readonly pending = new Map<string, StoredRecord>()

  constructor(
    private readonly engine: StorageEngine,
    private readonly mode: ConflictMode,
  ) {}

  /** The stored record of a key: from memory when it answers (no promise), else from storage. */
  stored(key: string): StoredRecord | undefined | Promise<StoredRecord | undefined> {
    const peeked = this.engine.peek(key)
    return peeked ? peeked.record : this.engine.get(key)
  }

  /**
   * The record an incoming row meets: the one being written for the key if any (it was resolved
   * against the stored one, so it covers it), else the stored one.
   */
  newestOf(key: string, stored: StoredRecord | undefined): StoredRecord | undefined {
    const pending = this.pending.get(key)
    if (!pending) return stored
    if (!stored || this.mode.merges(key)) return pending
    return this.mode.resolve(key, pending, stored) ?? pending
  }

  /**
   * The newest record held or being written for a key. The storage read is awaited first and the
   * in-flight records are consulted synchronously after it, so check-then-write stays atomic.
   */
  async current(key: string): Promise<() => StoredRecord | undefined> {
    const stored = await this.stored(key)
    return () => this.newestOf(key, stored)
  }

  /** A record that joined a group commit. */
  writing(key: string, record: StoredRecord): void {
    this.pending.set(key, record)
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

  /** Rows whose commit landed: they are the engine's now. */
  durable(records: readonly KeyedRecord[]): void {
    for (const r of records) if (this.pending.get(r.key) === r.record) this.pending.delete(r.key)
  }
}
