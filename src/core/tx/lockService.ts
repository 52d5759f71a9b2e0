/**
 * The lock-owner side of transactions: locks, intents and commit validation for the keys whose first
 * natural owner is this node, and the transaction records it holds (txRecords.ts). Every request
 * renews its transaction's lease; a periodic sweep ends the transactions whose coordinator went
 * silent (died or was cut off): one that never prepared here loses its locks, one that prepared asks
 * its record holder and keeps them while the record is COMMITTED and not yet applied at W per key.
 */
import { type DbErrorData, dbError, fromErrorData, toErrorData } from '../errors'
import type { NodeId } from '../ids'
import type { RowVersion } from '../protocol/messages'
import { compareVersions, type Version } from '../replication/version'
import type { TxHost } from './host'
import { LockTable } from './lockTable'
import { PreparedStore, type StoredPrepare } from './preparedStore'
import { pushRecord } from './push'
import { SnapshotReads } from './snapshotReads'
import { TxRecords } from './txRecords'
import type { LockMode, PrepareItem, TxLockView, TxPeerBody, TxPeerReply, TxPriority } from './types'
import { coordinatorOf, olderThan, priorityOfId } from './woundWait'

export class LockService {
  readonly table = new LockTable()
  readonly records: TxRecords
  private readonly store: PreparedStore
  /** MVCC: snapshot reads, version histories and commit-timestamp proposals (snapshot isolation). */
  readonly snapshots: SnapshotReads
  private sweeping = false
  /** Lock waits in progress per transaction: a waiting transaction is alive, its lease holds. */
  private readonly waiting = new Map<string, number>()
  /** Transactions prepared here, and the node holding each one's record. */
  private readonly prepared = new Map<string, NodeId>()
  /** Transactions whose outcome is being asked of their record holder. */
  private readonly asking = new Set<string>()
  /** Why a transaction's queued waits were dropped (its release's reason). */
  private readonly endedWhy = new Map<string, DbErrorData>()
  /** Told when an older transaction wounded one coordinated here (set by the coordinator). */
  onWounded: (txId: string, by: string, key: string) => void = () => {}

  constructor(private readonly host: TxHost) {
    this.records = new TxRecords(host, (to, body) => this.forward(to, body))
    this.store = new PreparedStore(host)
    this.snapshots = new SnapshotReads(host)
    this.table.onRelease = (txId) => this.snapshots.released(txId)
  }

  /**
   * At open: the records held here, then the prepares a previous incarnation acknowledged — their
   * locks are taken again and resolved by asking the record holder once their lease runs out.
   */
  async recover(): Promise<void> {
    // A record held here stands for its own prepare here: its locks are its rows this node owns.
    for (const r of await this.records.recover()) {
      const mine = r.rows.filter((row) => this.host.ownersOf(row.key)[0] === this.host.id)
      const locks = mine.map((row) => ({ key: row.key, mode: 'X' as const }))
      this.reload({ txId: r.txId, holder: this.host.id, locks })
    }
    for (const p of await this.store.load()) this.reload(p)
  }

  private reload(p: StoredPrepare): void {
    for (const l of p.locks) this.table.acquire(p.txId, l.key, l.mode, () => {})
    if (p.prio) this.notePriority(p.txId, p.prio)
    this.prepared.set(p.txId, p.holder)
    this.renew(p.txId)
  }

  /** A body to `to`: served here when it is this node. */
  forward(to: NodeId, body: TxPeerBody): Promise<TxPeerReply> {
    if (to === this.host.id) return this.serve(body)
    return this.host.request(to, body, 3 * this.host.requestTimeoutMs())
  }

  /** Serves one body from a coordinator (possibly this node). */
  async serve(body: TxPeerBody): Promise<TxPeerReply> {
    const { txId } = body
    switch (body.kind) {
      case 'apply':
        return { applied: await this.host.applyRows(body.rows) }
      case 'decide':
        return { decided: true, appliedHere: await this.records.decide(txId, body.rows) }
      case 'status':
        return { record: this.records.status(txId, body.expired) }
      case 'acked':
        this.records.acked(txId, body.nodes)
        return { ok: true }
      case 'wounded':
        this.onWounded(txId, body.by, body.key)
        return { ok: true }
      case 'release':
        this.end(txId, body.reason)
        this.records.abandon(txId)
        return { ok: true }
    }
    if (this.table.hasEnded(txId)) throw this.endedError(txId)
    if ('prio' in body && body.prio) this.notePriority(txId, body.prio)
    this.renew(txId)
    switch (body.kind) {
      case 'read':
        if (body.snap) return this.snapshots.read(txId, body.key, body.snap)
        return { row: await this.host.quorumRow(body.key) }
      case 'lock':
        await this.lock(txId, body.key, body.mode, this.deadline())
        if (body.snap) return this.snapshots.read(txId, body.key, body.snap)
        return { row: await this.host.quorumRow(body.key) }
      case 'refresh':
        await this.snapshots.refresh(txId, body.ts, body.items)
        return { ok: true }
      case 'intent': {
        const other = this.table.intend(txId, body.key)
        if (other !== null)
          throw dbError(
            'TX_CONFLICT',
            `write-write conflict on ${JSON.stringify(body.key)} with transaction ${other}`,
            { txId, key: body.key, other },
          )
        return { row: await this.host.quorumRow(body.key) }
      }
      case 'prepare': {
        if (body.record === this.host.id) this.records.checkOpen(txId)
        const proposedTs = await this.prepare(txId, body.items, body.record, body.readTs)
        return proposedTs === undefined ? { ok: true } : { ok: true, proposedTs }
      }
    }
  }

  /** Drops the transaction's locks and queued waits here. */
  private end(txId: string, reason?: DbErrorData): void {
    if (reason) {
      this.endedWhy.set(txId, reason)
      if (this.endedWhy.size > 256) this.endedWhy.delete(this.endedWhy.keys().next().value as string)
    }
    if (this.prepared.delete(txId)) this.store.drop(txId)
    this.table.release(txId)
    this.table.dropWaits(txId)
  }

  /**
   * A prepared transaction's lease ran out: ask its record holder. ABORTED (or no record) → end it
   * here; COMMITTED and applied at W per key → end it; COMMITTED short of W, PENDING mid-decide or
   * no answer → keep the locks and ask again after another lease.
   */
  private askOutcome(txId: string, holder: NodeId): void {
    this.asking.add(txId)
    this.renew(txId)
    const ask: Promise<TxPeerReply> =
      holder === this.host.id
        ? Promise.resolve({ record: this.records.status(txId, true) })
        : this.host.request(holder, { kind: 'status', txId, expired: true }, 3 * this.host.requestTimeoutMs())
    ask
      .then((reply) => {
        if (!('record' in reply)) return
        const st = reply.record
        if (st.state === 'pending' || (st.state === 'committed' && !st.resolved)) return
        this.end(txId)
      })
      .catch(() => {})
      .finally(() => this.asking.delete(txId))
  }

  /** Locks held here (listTransactions). */
  locks(): TxLockView[] {
    return this.table.view()
  }

  /** Why `txId` no longer holds locks here (its release's reason, else an expiry). */
  private endedError(txId: string) {
    const why = this.endedWhy.get(txId)
    if (why) return fromErrorData(why)
    return dbError('TX_EXPIRED', `transaction ${txId} no longer holds locks at ${this.host.id}`, { txId })
  }

  private readonly prios = new Map<string, TxPriority>()

  private notePriority(txId: string, prio: TxPriority): void {
    this.prios.set(txId, prio)
    if (this.prios.size > 4096) this.prios.delete(this.prios.keys().next().value as string)
  }

  private priority(txId: string): TxPriority {
    return this.prios.get(txId) ?? priorityOfId(txId)
  }

  /**
   * Wound-wait: `txId` is about to wait for `key`; every younger holder that has not prepared here
   * is wounded — its locks here go (so `txId` is granted) and its coordinator is told to abort it.
   * A younger holder that has prepared here is pushed (push.ts): wounded once its record aborted.
   */
  private woundYounger(txId: string, key: string, mode: LockMode): void {
    const mine = this.priority(txId)
    for (const other of this.table.blockers(txId, key, mode)) {
      if (!olderThan(mine, this.priority(other))) continue
      if (this.prepared.has(other)) this.push(txId, other, key)
      else this.wound(txId, other, key)
    }
  }

  private wound(txId: string, other: string, key: string): void {
    const reason = dbError(
      'TX_DEADLOCK',
      `transaction ${other} was aborted to avoid a deadlock: the older ${txId} wanted ${JSON.stringify(key)}, which it held`,
      { txId: other, other: txId, key },
    )
    this.end(other, toErrorData(reason))
    void this.forward(coordinatorOf(other), { kind: 'wounded', txId: other, by: txId, key }).catch(() => {})
  }

  /** Transactions whose record holder is being pushed. */
  private readonly pushing = new Set<string>()

  private push(txId: string, other: string, key: string): void {
    const holder = this.prepared.get(other)
    if (holder === undefined || this.pushing.has(other)) return
    this.pushing.add(other)
    void pushRecord((to, body) => this.forward(to, body), holder, other)
      .then((abortedNow) => {
        if (abortedNow && this.prepared.has(other)) this.wound(txId, other, key)
      })
      .finally(() => this.pushing.delete(other))
  }

  /**
   * Locks and validates; `holder`: the record holder, noted (and opened, if here) in the same tick as
   * the last check. Under snapshot isolation, also notes each written key's row as a version, checks
   * first-committer-wins against `readTs`, and returns the commit-timestamp proposal.
   */
  private async prepare(
    txId: string,
    items: PrepareItem[],
    holder?: NodeId,
    readTs?: number,
  ): Promise<number | undefined> {
    try {
      if (this.table.doomed.has(txId))
        throw dbError('TX_CONFLICT', `transaction ${txId} lost a write-write conflict`, { txId })
      const deadline = this.deadline()
      const sorted = [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      for (const it of sorted) await this.lock(txId, it.key, it.mode, deadline)
      const mvcc = this.host.settings().isolation !== 'read-committed'
      for (const it of sorted) {
        const versioned = mvcc && it.mode === 'X'
        if (it.expect === undefined && !versioned) continue
        const row = await this.host.quorumRow(it.key)
        if (versioned) this.snapshots.checkWrite(txId, it.key, row, readTs)
        if (it.expect !== undefined && !sameVersion(row, it.expect))
          throw dbError(
            'TX_CONFLICT',
            `${JSON.stringify(it.key)} was changed by a commit after this transaction read it`,
            { txId, key: it.key, expected: it.expect, found: row?.version ?? null },
          )
      }
      // Wounded (or expired) while it validated: its locks here are gone, so it must not prepare.
      if (this.table.hasEnded(txId)) throw this.endedError(txId)
      if (holder === this.host.id) this.records.open(txId)
      // Registered before the durable save below: a snapshot read meanwhile waits on it.
      const proposal = mvcc
        ? this.snapshots.propose(
            txId,
            sorted.filter((it) => it.mode === 'X').map((it) => it.key),
          )
        : undefined
      if (!holder) return proposal
      this.prepared.set(txId, holder) // from here on it is pushed, not wounded, here
      // At the record holder the record stands for the prepare: a restart before the decide loses
      // the PENDING record (the decide is then refused), one after it reloads the COMMITTED one.
      if (holder === this.host.id) return proposal
      const prepared: StoredPrepare = {
        txId,
        holder,
        locks: sorted.map((it) => ({ key: it.key, mode: it.mode })),
      }
      const prio = this.prios.get(txId)
      if (prio) prepared.prio = prio
      await this.store.save(prepared) // durable before it is acknowledged: a restart keeps the locks
      if (this.table.hasEnded(txId)) throw this.endedError(txId) // pushed or released meanwhile
      return proposal
    } catch (e) {
      if (this.prepared.delete(txId)) this.store.drop(txId)
      this.table.release(txId)
      throw e
    }
  }

  private lock(txId: string, key: string, mode: LockMode, deadlineMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: number | undefined
      const done = (): void => {
        const n = (this.waiting.get(txId) ?? 1) - 1
        if (n > 0) this.waiting.set(txId, n)
        else this.waiting.delete(txId)
        if (!this.table.hasEnded(txId)) this.renew(txId)
      }
      let granted = false
      const grant = (): void => {
        granted = true
        if (timer !== undefined) this.host.timers.clear(timer)
        done()
        if (this.table.hasEnded(txId)) {
          this.table.release(txId) // the holder expired or was released while it waited
          const why = this.endedWhy.get(txId)
          reject(
            why
              ? fromErrorData(why)
              : dbError('TX_EXPIRED', `transaction ${txId} expired while waiting for a lock`, { txId }),
          )
          return
        }
        resolve()
      }
      if (this.table.acquire(txId, key, mode, grant)) return resolve()
      this.waiting.set(txId, (this.waiting.get(txId) ?? 0) + 1)
      this.woundYounger(txId, key, mode) // may grant at once
      if (granted) return
      const waitMs = Math.max(0, deadlineMs - this.host.nowMs())
      timer = this.host.timers.set(waitMs, () => {
        this.table.cancel(txId, key, grant)
        done()
        reject(
          dbError(
            'LOCK_TIMEOUT',
            `${JSON.stringify(key)} stayed locked by another transaction for ${this.host.settings().lockTimeoutMs} ms`,
            { txId, key, mode, lockTimeoutMs: this.host.settings().lockTimeoutMs },
          ),
        )
      })
    })
  }

  private deadline(): number {
    return this.host.nowMs() + this.host.settings().lockTimeoutMs
  }

  private renew(txId: string): void {
    this.table.renew(txId, this.host.nowMs() + this.host.settings().leaseMs)
    if (!this.sweeping) this.armSweep()
  }

  /** Drops expired leases every quarter lease while anything is locked. */
  private armSweep(): void {
    this.sweeping = true
    this.host.timers.set(Math.max(1, Math.round(this.host.settings().leaseMs / 4)), () => {
      for (const txId of this.table.expired(this.host.nowMs())) {
        const holder = this.prepared.get(txId)
        if (this.waiting.has(txId) || this.asking.has(txId)) this.renew(txId)
        else if (holder) this.askOutcome(txId, holder)
        else this.table.release(txId)
      }
      if (this.table.empty) this.sweeping = false
      else this.armSweep()
    })
  }
}

function sameVersion(row: RowVersion | null, expect: Version | null): boolean {
  if (row === null || expect === null) return row === null && expect === null
  return compareVersions(row.version, expect) === 0
}
