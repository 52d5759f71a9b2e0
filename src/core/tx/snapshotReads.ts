/**
 * MVCC snapshot reads at a key's lock owner (isolation 'snapshot' and 'serializable'). A read at
 * snapshot S (1) raises this owner's served high-water mark to S, so every transaction that prepares
 * here afterwards proposes a commit timestamp > S and stays invisible to it; (2) waits for the
 * transactions already prepared here on the key with a proposal ≤ S (they may commit at ≤ S) to be
 * resolved — never returns an undecided write; (3) reads the current row (R owners, as every lock
 * owner read) and, when it is newer than S, answers from the key's version history instead
 * (TX_SNAPSHOT_TOO_OLD when the history no longer reaches back to S). A transaction whose snapshot
 * is not fixed yet (its first read) has S raised to this owner's clock, and to the key's newest
 * version: the snapshot is taken at the first read, as Postgres does, so a lagging coordinator
 * clock does not make it stale.
 */
import { dbError } from '../errors'
import type { RowVersion } from '../protocol/messages'
import { compareVersions, type Version } from '../replication/version'
import type { TxHost } from './host'
import type { SnapshotAsk, SnapshotServed } from './types'
import { VersionHistory } from './versionHistory'

/** Times a first read raises its snapshot to the key's newest version before it answers. */
const FIX_ROUNDS_MAX = 3

/** Lock-owner incarnations made in this process (with the clock, tells a restarted owner apart). */
let incarnations = 0

export class SnapshotReads {
  readonly history = new VersionHistory()
  /** This incarnation: a transaction that read here before a restart must not read here again. */
  readonly epoch: string
  /** What this incarnation served (tests and sweeps read them). */
  readonly stats = { reads: 0, fromHistory: 0, waited: 0, refreshed: 0, tooOld: 0 }
  /** The highest snapshot timestamp served here. */
  private servedTs = 0
  /** The prepared transaction holding each key (X) with its proposed commit timestamp. */
  private readonly preparedOn = new Map<string, { txId: string; ts: number }>()
  private readonly keysOf = new Map<string, string[]>()
  /** Snapshot reads waiting for a key's prepared holder to be resolved. */
  private readonly waiters = new Map<string, Set<() => void>>()

  constructor(private readonly host: TxHost) {
    this.epoch = `${host.id}@${host.nowMs()}#${++incarnations}`
  }

  /** The row of `key` at the transaction's snapshot, and the snapshot timestamp it was read at. */
  async read(
    txId: string,
    key: string,
    ask: SnapshotAsk,
  ): Promise<{ row: RowVersion | null; snap: SnapshotServed }> {
    this.stats.reads++
    let readTs = ask.fixed ? ask.ts : Math.max(ask.ts, this.host.tick())
    let current: RowVersion | null
    for (let round = 1; ; round++) {
      this.servedTs = Math.max(this.servedTs, readTs)
      await this.waitForPrepared(txId, key, readTs)
      current = await this.host.quorumRow(key)
      this.history.note(key, current)
      if (current) this.host.observe(current.version) // the next snapshot fixed here starts past it
      // Not fixed yet: take the snapshot past the key's newest version (this clock can lag it),
      // then wait and read again at that timestamp.
      if (ask.fixed || !current || current.version.ts <= readTs || round >= FIX_ROUNDS_MAX) break
      readTs = current.version.ts
    }
    const snap = { ts: readTs, epoch: this.epoch }
    if (current === null || current.version.ts <= readTs) return { row: current, snap }
    const then = this.history.at(key, readTs)
    if (then) this.stats.fromHistory++
    else this.stats.tooOld++
    if (!then)
      throw dbError(
        'TX_SNAPSHOT_TOO_OLD',
        `${JSON.stringify(key)} changed after this transaction's snapshot (ts ${readTs}) and ${this.host.id} no longer holds the version it had then`,
        { txId, key, readTs, current: current.version },
      )
    return { row: then.row, snap }
  }

  /**
   * Moves a transaction's snapshot forward to `ts` for the keys it read here: every commit proposed
   * here from now on is past `ts`; a prepared holder that may commit at ≤ ts is waited for; then each
   * key's current version must still be the one the transaction read (else TX_SNAPSHOT_TOO_OLD).
   */
  async refresh(
    txId: string,
    ts: number,
    items: Array<{ key: string; version: Version | null }>,
  ): Promise<void> {
    this.servedTs = Math.max(this.servedTs, ts)
    this.stats.refreshed++
    for (const { key, version } of items) {
      await this.waitForPrepared(txId, key, ts)
      const current = await this.host.quorumRow(key)
      this.history.note(key, current)
      const same =
        current === null || version === null
          ? current === version
          : compareVersions(current.version, version) === 0
      if (!same)
        throw dbError(
          'TX_SNAPSHOT_TOO_OLD',
          `${JSON.stringify(key)} changed since this transaction read it, so its snapshot cannot move forward to ts ${ts}`,
          { txId, key, readTs: ts },
        )
    }
  }

  /**
   * A prepare's row of a key it writes, read under its X lock: noted as a version (the one the
   * transaction's commit replaces), and first-committer-wins: a version committed after the
   * writer's snapshot `readTs` aborts it.
   */
  checkWrite(txId: string, key: string, row: RowVersion | null, readTs: number | undefined): void {
    this.history.note(key, row)
    if (readTs !== undefined && row !== null && row.version.ts > readTs)
      throw dbError(
        'TX_CONFLICT',
        `${JSON.stringify(key)} was changed by a commit after this transaction's snapshot (first committer wins)`,
        { txId, key, readTs, found: row.version },
      )
  }

  /** The prepared transaction's commit-timestamp proposal: past this clock and every snapshot served. */
  propose(txId: string, writeKeys: string[]): number {
    const ts = Math.max(this.host.tick(), this.servedTs + 1)
    for (const key of writeKeys) this.preparedOn.set(key, { txId, ts })
    this.keysOf.set(txId, writeKeys)
    return ts
  }

  /** The transaction's locks here went (committed at W, aborted, expired): wake its readers. */
  released(txId: string): void {
    const keys = this.keysOf.get(txId)
    if (!keys) return
    this.keysOf.delete(txId)
    for (const key of keys) {
      if (this.preparedOn.get(key)?.txId === txId) this.preparedOn.delete(key)
      for (const wake of [...(this.waiters.get(key) ?? [])]) wake()
    }
  }

  /** Waits (up to lockTimeoutMs) while a transaction prepared on `key` may commit at ≤ readTs. */
  private async waitForPrepared(txId: string, key: string, readTs: number): Promise<void> {
    const deadlineMs = this.host.nowMs() + this.host.settings().lockTimeoutMs
    for (;;) {
      const holder = this.preparedOn.get(key)
      if (!holder || holder.txId === txId || holder.ts > readTs) return
      this.stats.waited++
      const waitMs = deadlineMs - this.host.nowMs()
      if (waitMs <= 0 || !(await this.wake(key, waitMs)))
        throw dbError(
          'LOCK_TIMEOUT',
          `${JSON.stringify(key)} stayed prepared by transaction ${holder.txId} for ${this.host.settings().lockTimeoutMs} ms: a snapshot read waits for its outcome`,
          { txId, key, other: holder.txId, lockTimeoutMs: this.host.settings().lockTimeoutMs },
        )
    }
  }

  /** Resolves true when `key`'s holder is released, false after `waitMs`. */
  private wake(key: string, waitMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const set = this.waiters.get(key) ?? new Set()
      this.waiters.set(key, set)
      const done = (ok: boolean): void => {
        set.delete(wakeUp)
        if (set.size === 0) this.waiters.delete(key)
        resolve(ok)
      }
      const timer = this.host.timers.set(waitMs, () => done(false))
      const wakeUp = (): void => {
        this.host.timers.clear(timer)
        done(true)
      }
      set.add(wakeUp)
    })
  }
}
