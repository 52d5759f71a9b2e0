/**
 * Transaction records, at their holder: the lock owner of a transaction's smallest written key.
 * A record opens PENDING (in memory) when the transaction prepares here; the coordinator's `decide`
 * makes it COMMITTED with all of the transaction's rows in one durable write (the commit point:
 * nothing is applied anywhere before it). A lock owner whose lease on a prepared transaction ran out
 * asks here: a PENDING record then becomes ABORTED (a later decide is refused), a COMMITTED one keeps
 * its locks until every key has W acks. The holder rolls a COMMITTED record forward itself — one
 * apply per replica that has not acknowledged it, all of that replica's rows in one body — when
 * the coordinator went silent or a replica missed the commit, and drops it once every replica has.
 */
import { dbError } from '../errors'
import type { NodeId } from '../ids'
import type { RowVersion } from '../protocol/messages'
import type { TxHost } from './host'
import type { TxPeerBody, TxPeerReply, TxRecordStatus, TxRecordView } from './types'

interface Rec {
  txId: string
  state: 'pending' | 'deciding' | 'committed'
  rows: RowVersion[]
  /** Rows per replica (computed once, when it became COMMITTED). */
  replicas: Map<NodeId, RowVersion[]>
  acked: Set<NodeId>
  sending: Set<NodeId>
  rolledForward: boolean
  decidedMs: number
  /** The coordinator reported its acks: every replica missing now missed the commit. */
  reported: boolean
}

/** The durable form of a COMMITTED record (Disk store 'meta', key `txrec|<txId>`). */
export interface StoredTxRecord {
  txId: string
  rows: RowVersion[]
  decidedMs: number
}

/** Most aborted/finished ids remembered (a late prepare or decide of one is refused). */
const MEMO_MAX = 4096
/** Finished records listTransactions still shows. */
const RECENT_MAX = 16

export class TxRecords {
  private readonly recs = new Map<string, Rec>()
  /** Ids that ended without a record: ABORTED (a later prepare or decide here is refused). */
  private readonly aborted = new Set<string>()
  /** Ids whose COMMITTED record reached every replica and was dropped. */
  private readonly done = new Set<string>()
  /** The most recent aborted and dropped records, as listTransactions shows them. */
  private readonly recent: TxRecordView[] = []
  private ticking = false

  constructor(
    private readonly host: TxHost,
    /** Sends a body to a replica (possibly this node) and waits for its reply. */
    private readonly send: (to: NodeId, body: TxPeerBody) => Promise<TxPeerReply>,
  ) {}

  /** Loads the COMMITTED records a previous incarnation left and resumes rolling them forward. */
  async recover(): Promise<StoredTxRecord[]> {
    const now = this.host.nowMs()
    const loaded = (await this.host.loadRecords()).filter(isStored)
    for (const s of loaded) {
      // Its coordinator's acks died with the old incarnation (and a host clock may restart at 0):
      // push to every replica at the first tick, idempotently.
      const rec = this.committed(s.txId, s.rows, Math.min(s.decidedMs, now))
      rec.reported = true
      this.recs.set(s.txId, rec)
    }
    if (this.recs.size > 0) this.arm()
    return loaded
  }

  /** Throws TX_ABORTED when `txId` may no longer prepare here (a lock owner aborted its record). */
  checkOpen(txId: string): void {
    if (this.aborted.has(txId) || this.done.has(txId)) throw aborted(txId)
  }

  /** Opens the PENDING record (the transaction prepared here). */
  open(txId: string): void {
    this.checkOpen(txId)
    if (!this.recs.has(txId)) this.recs.set(txId, this.pendingRec(txId))
  }

  /**
   * The commit point: the record becomes COMMITTED, durably, with every row. True when this node
   * applied its own rows of it in the same write (the coordinator need not send it an apply).
   */
  async decide(txId: string, rows: RowVersion[]): Promise<boolean> {
    const rec = this.recs.get(txId)
    if (rec?.state === 'committed') return rec.acked.has(this.host.id)
    if (rec?.state !== 'pending') throw aborted(txId)
    rec.state = 'deciding'
    const now = this.host.nowMs()
    const next = this.committed(txId, rows, now)
    // The record and this node's own rows of it, in one storage write: it is one of its replicas.
    const mine = next.replicas.get(this.host.id) ?? []
    try {
      await this.host.saveRecord({ txId, rows, decidedMs: now }, mine)
    } catch (e) {
      rec.state = 'pending'
      throw e
    }
    if (mine.length > 0) next.acked.add(this.host.id)
    this.recs.set(txId, next)
    this.arm()
    return mine.length > 0
  }

  /** The transaction's outcome; `expired`: the asker's lease ran out, so a PENDING record aborts. */
  status(txId: string, expired: boolean): TxRecordStatus {
    const rec = this.recs.get(txId)
    if (!rec) {
      if (this.done.has(txId)) return { state: 'none', resolved: true }
      if (this.aborted.has(txId)) return { state: 'aborted', resolved: true }
      if (expired) this.remember(txId) // a prepare or decide arriving after this is refused
      return { state: expired ? 'aborted' : 'none', resolved: true }
    }
    if (rec.state === 'committed') return { state: 'committed', resolved: this.resolved(rec) }
    if (expired && rec.state === 'pending') {
      this.abandon(txId)
      return { state: 'aborted', resolved: true }
    }
    return { state: 'pending', resolved: false }
  }

  /** The coordinator released a transaction: a record still PENDING is ABORTED. */
  abandon(txId: string): void {
    // Releases reach every lock owner, for every outcome: only a PENDING record here is affected.
    if (this.recs.get(txId)?.state !== 'pending') return
    this.recs.delete(txId)
    this.remember(txId)
  }

  /** Replicas that applied the transaction's rows (from its coordinator or a roll-forward). */
  acked(txId: string, nodes: readonly NodeId[]): void {
    const rec = this.recs.get(txId)
    if (rec?.state !== 'committed') return
    rec.reported = true
    for (const n of nodes) rec.acked.add(n)
    if ([...rec.replicas.keys()].every((r) => rec.acked.has(r))) this.drop(rec)
  }

  /** Records held here (listTransactions). */
  view(): TxRecordView[] {
    return [...[...this.recs.values()].map((r) => this.viewOf(r)), ...this.recent]
  }

  private viewOf(r: Rec): TxRecordView {
    const v: TxRecordView = {
      txId: r.txId,
      state: r.state === 'committed' ? 'committed' : 'pending',
      keys: r.rows.map((x) => x.key),
      acked: [...r.acked].sort(),
      replicas: [...r.replicas.keys()].sort(),
    }
    if (r.rolledForward) v.rolledForward = true
    if (r.state === 'committed') v.decidedMs = r.decidedMs
    return v
  }

  /** A replica came back (its failure detector view turned up): push it what it missed, now. */
  peerUp(peer: NodeId): void {
    this.rollForward(Math.max(1, Math.round(this.host.settings().leaseMs / 4)), peer)
  }

  private resolved(rec: Rec): boolean {
    const w = this.host.writeQuorum()
    return rec.rows.every((row) => this.host.ownersOf(row.key).filter((o) => rec.acked.has(o)).length >= w)
  }

  /** Rolls COMMITTED records forward every quarter lease while any is held. */
  private arm(): void {
    if (this.ticking) return
    this.ticking = true
    const everyMs = Math.max(1, Math.round(this.host.settings().leaseMs / 4))
    this.host.timers.set(everyMs, () => {
      this.ticking = false
      this.rollForward(everyMs)
      if ([...this.recs.values()].some((r) => r.state === 'committed')) this.arm()
    })
  }

  /**
   * Sends each unacknowledged replica of a record decided at least a quarter lease ago all of its
   * rows in one apply (one group commit there: it never holds part of the transaction from here).
   */
  private rollForward(graceMs: number, only?: NodeId): void {
    const now = this.host.nowMs()
    const ttl = this.host.settings().recordTtlMs
    for (const rec of [...this.recs.values()]) {
      if (rec.state !== 'committed' || (!rec.reported && now - rec.decidedMs < graceMs)) continue
      if (now - rec.decidedMs > ttl && this.resolved(rec)) {
        this.drop(rec) // the rest catch up by read repair and anti-entropy
        continue
      }
      for (const [replica, rows] of rec.replicas) {
        if (only !== undefined && replica !== only) continue
        if (rec.acked.has(replica) || rec.sending.has(replica) || !this.host.healthy(replica)) continue
        rec.sending.add(replica)
        this.send(replica, { kind: 'apply', txId: rec.txId, rows })
          .then(() => {
            rec.rolledForward = true
            this.acked(rec.txId, [replica])
          })
          .catch(() => {})
          .finally(() => rec.sending.delete(replica))
      }
    }
  }

  private drop(rec: Rec): void {
    const view = this.viewOf(rec)
    this.recs.delete(rec.txId)
    this.host.dropRecord(rec.txId)
    remember(this.done, rec.txId)
    this.note({ ...view, done: true })
  }

  private remember(txId: string): void {
    remember(this.aborted, txId)
    this.note({ txId, state: 'aborted', keys: [], acked: [], replicas: [] })
  }

  private note(v: TxRecordView): void {
    this.recent.push(v)
    if (this.recent.length > RECENT_MAX) this.recent.shift()
  }

  private pendingRec(txId: string): Rec {
    return {
      txId,
      state: 'pending',
      rows: [],
      replicas: new Map(),
      acked: new Set(),
      sending: new Set(),
      rolledForward: false,
      decidedMs: 0,
      reported: false,
    }
  }

  private committed(txId: string, rows: RowVersion[], decidedMs: number): Rec {
    const replicas = new Map<NodeId, RowVersion[]>()
    for (const row of rows)
      for (const r of this.host.ownersOf(row.key)) {
        const list = replicas.get(r) ?? []
        list.push(row)
        replicas.set(r, list)
      }
    return { ...this.pendingRec(txId), state: 'committed', rows, replicas, decidedMs }
  }
}

function remember(set: Set<string>, txId: string): void {
  set.add(txId)
  if (set.size > MEMO_MAX) set.delete(set.values().next().value as string)
}

function aborted(txId: string) {
  return dbError('TX_ABORTED', `transaction ${txId}'s record is aborted: nothing of it was applied`, {
    txId,
  })
}

function isStored(v: unknown): v is StoredTxRecord {
  const s = v as StoredTxRecord
  return typeof s === 'object' && s !== null && typeof s.txId === 'string' && Array.isArray(s.rows)
}
