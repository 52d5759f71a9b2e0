/**
 * The coordinator side of transactions: the node a transaction began on buffers its writes, reads
 * through each key's lock owner (the key's first healthy natural owner), and commits in two steps:
 * prepare at every lock owner (lock the write set, and the read set under serializable; validate the
 * versions the transaction saw), then ONE apply per replica carrying all of that replica's rows (one
 * group commit there: a replica holds all of them or none), needing W acks per key. Locks are
 * released at the end either way.
 */
import { dbError, fromErrorData, toErrorData } from '../errors'
import { assertKey, type NodeId } from '../ids'
import type { RowVersion } from '../protocol/messages'
import { increment, type TxSteps, transfer } from './atomicOps'
import type { TxHost } from './host'
import type { LockService } from './lockService'
import { newSnapshot, refreshSnapshot, snapshotAsk, snapshotRow, type TxSnapshot } from './snapshotTx'
import { type CommitDeps, commitTx, type Tx } from './txCommit'
import type {
  CommitResult,
  LockMode,
  NodeTxList,
  TxCall,
  TxPeerBody,
  TxPeerReply,
  TxPriority,
  TxView,
} from './types'

/** Most finished transactions remembered for their error codes (TX_FINISHED vs TX_UNKNOWN). */
const FINISHED_MAX = 1024

export class TxCoordinator implements TxSteps {
  private readonly open = new Map<string, Tx>()
  private readonly finished = new Map<string, Tx['state']>()

  constructor(
    private readonly host: TxHost,
    private readonly locks: LockService,
  ) {
    locks.onWounded = (txId, by, key) => this.wounded(txId, by, key)
  }

  /** An older transaction took a lock this one held (wound-wait): it aborts, unless past its commit point. */
  private wounded(txId: string, by: string, key: string): void {
    const tx = this.open.get(txId)
    if (!tx || tx.decided || (tx.state !== 'open' && tx.state !== 'committing')) return
    this.fail(
      tx,
      dbError(
        'TX_DEADLOCK',
        `transaction ${txId} was aborted to avoid a deadlock: the older ${by} wanted ${JSON.stringify(key)}, which it held`,
        { txId, other: by, key },
      ),
    )
  }

  /** Runs one Cluster API call. */
  async call(c: TxCall): Promise<unknown> {
    try {
      return await this.run(c)
    } finally {
      // A call that waited (for a lock) kept its transaction alive: the idle lease counts from its end.
      const tx = 'txId' in c ? this.open.get(c.txId) : undefined
      if (tx) tx.lastUsedMs = this.host.nowMs()
    }
  }

  private run(c: TxCall): Promise<unknown> | unknown {
    switch (c.op) {
      case 'begin':
        return this.begin()
      case 'write':
        return this.write(c.txId, c.key, c.value)
      case 'read':
        return this.read(c.txId, c.key, c.forUpdate)
      case 'commit':
        return this.commit(c.txId)
      case 'abort':
        return this.abort(c.txId)
      case 'list':
        return this.list()
      case 'increment':
        return increment(this, c.key, c.amount)
      case 'transfer':
        return transfer(this, c.fromKey, c.toKey, c.amount)
    }
  }

  /** Opens a transaction; `prio`: an earlier attempt's priority (an atomic op's retry keeps it). */
  begin(prio?: TxPriority): string {
    const refused = this.host.transactionsRefused()
    if (refused) throw dbError('BAD_INPUT', refused)
    const ts = this.host.tick()
    const id = `${this.host.id}:${ts}`
    const now = this.host.nowMs()
    this.forgetAbandoned(now)
    const mvcc = this.host.settings().isolation !== 'read-committed'
    this.open.set(id, {
      ...(mvcc ? { snapshot: newSnapshot(ts) } : {}),
      id,
      state: 'open',
      prio: prio ?? { ts, node: this.host.id },
      writes: new Map(),
      seen: new Map(),
      validate: new Set(),
      locks: new Map(),
      owners: new Map(),
      startedMs: now,
      lastUsedMs: now,
    })
    return id
  }

  /** The priority a transaction's locks carry (wound-wait). */
  priorityOf(txId: string): TxPriority | undefined {
    return this.open.get(txId)?.prio
  }

  async write(txId: string, key: string, value: string | null): Promise<null> {
    const tx = this.live(txId)
    assertKey(key)
    if (value !== null && typeof value !== 'string')
      throw dbError('BAD_INPUT', `values are strings, got ${typeof value}`)
    const { lockStrategy, isolation } = this.host.settings()
    if (lockStrategy === '2pl') await this.lockKey(tx, key, 'X')
    else if (isolation !== 'read-committed' && !tx.writes.has(key) && !tx.locks.has(key)) {
      // Every first write of a key registers an intent, read or not: two writers doom each other.
      const row = await this.ask(tx, key, { kind: 'intent', txId, key })
      this.see(tx, key, row)
    }
    if (isolation !== 'read-committed') tx.validate.add(key)
    tx.writes.set(key, value)
    return null
  }

  async read(txId: string, key: string, forUpdate: boolean): Promise<string | null> {
    const tx = this.live(txId)
    assertKey(key)
    const { lockStrategy, isolation } = this.host.settings()
    const mode: LockMode | null = forUpdate ? 'X' : lockStrategy === '2pl' ? 'S' : null
    let row: RowVersion | null | undefined
    if (mode) row = await this.lockKey(tx, key, mode)
    else if (!tx.writes.has(key)) {
      const cached = snapshotRow(tx.snapshot, key)
      row = cached !== undefined ? cached : await this.ask(tx, key, { kind: 'read', txId, key })
      this.see(tx, key, row)
      if (isolation === 'serializable') tx.validate.add(key)
    }
    if (tx.writes.has(key)) return tx.writes.get(key) ?? null // read your own writes
    return row?.tombstone ? null : (row?.value ?? null)
  }

  /** Takes a lock at the key's owner and reads the row under it; the commit re-checks that version. */
  private async lockKey(tx: Tx, key: string, mode: LockMode): Promise<RowVersion | null> {
    const had = tx.locks.get(key)
    if (had === 'X' || had === mode) {
      const cached = snapshotRow(tx.snapshot, key)
      return cached !== undefined ? cached : this.ask(tx, key, { kind: 'read', txId: tx.id, key })
    }
    const row = await this.ask(tx, key, { kind: 'lock', txId: tx.id, key, mode, prio: tx.prio })
    tx.locks.set(key, mode)
    // The version under the lock is what the commit validates (a failed-over lock owner is caught).
    if (!tx.seen.has(key) || this.host.settings().isolation !== 'serializable')
      tx.seen.set(key, row?.version ?? null)
    if (row) this.host.observe(row.version)
    tx.validate.add(key)
    return row
  }

  private see(tx: Tx, key: string, row: RowVersion | null): void {
    if (!tx.seen.has(key)) tx.seen.set(key, row?.version ?? null)
    if (row) this.host.observe(row.version)
  }

  /** Sends a lock-owner body for `key`; a refusal or a lost owner fails the transaction. */
  private async ask(tx: Tx, key: string, body: TxPeerBody): Promise<RowVersion | null> {
    try {
      const owner = tx.owners.get(key) ?? this.lockOwnerOf(key)
      tx.owners.set(key, owner)
      const waitMs = this.host.settings().lockTimeoutMs
      if (tx.snapshot && (body.kind === 'read' || body.kind === 'lock'))
        // A lock wait, then a wait for a prepared holder's outcome: each up to lockTimeoutMs.
        return await snapshotAsk(
          tx.snapshot,
          tx.id,
          owner,
          body,
          (b) => this.send(owner, b, 2 * waitMs),
          (toTs) =>
            refreshSnapshot(
              tx.snapshot as TxSnapshot,
              tx.id,
              toTs,
              (k) => tx.owners.get(k) as NodeId,
              (to, b) => this.send(to, b, 2 * waitMs),
            ),
        )
      const reply = await this.send(owner, body, waitMs)
      return 'row' in reply ? reply.row : null
    } catch (e) {
      throw this.fail(tx, e)
    }
  }

  async commit(txId: string): Promise<CommitResult> {
    const tx = this.live(txId)
    tx.state = 'committing'
    try {
      const out = await commitTx(this.deps, tx)
      this.finish(tx, 'committed', out.short)
      return {
        txId,
        committed: true,
        version: out.version,
        rows: out.rows,
        durable: out.short ? 'record' : 'quorum',
      }
    } catch (e) {
      throw this.fail(tx, e)
    }
  }

  private get deps(): CommitDeps {
    return {
      host: this.host,
      send: (to, body, waitMs) => this.send(to, body, waitMs),
      ownerOf: (tx, key) => {
        const owner = tx.owners.get(key) ?? this.lockOwnerOf(key)
        tx.owners.set(key, owner)
        return owner
      },
    }
  }

  async abort(txId: string): Promise<null> {
    const tx = this.open.get(txId)
    if (!tx) this.unknownOrFinished(txId)
    else this.finish(tx, 'aborted')
    return null
  }

  private list(): NodeTxList {
    const transactions: TxView[] = []
    for (const tx of this.open.values()) {
      this.checkLease(tx)
      const view: TxView = {
        txId: tx.id,
        state: tx.state,
        writes: [...tx.writes].map(([key, value]) => ({ key, value })),
        locks: [...tx.locks].map(([key, mode]) => ({ key, mode, owner: tx.owners.get(key) as NodeId })),
        startedMs: tx.startedMs,
      }
      if (tx.failure) view.failure = tx.failure
      if (tx.snapshot?.fixed) view.snapshotTs = tx.snapshot.ts
      transactions.push(view)
    }
    return { node: this.host.id, transactions, locks: this.locks.locks(), records: this.locks.records.view() }
  }

  /** The open transaction `txId`, or a coded error (unknown, finished, failed, lease expired). */
  private live(txId: string): Tx {
    if (typeof txId !== 'string')
      throw dbError('BAD_INPUT', 'txId must be the string beginTransaction returned')
    const tx = this.open.get(txId)
    if (!tx) return this.unknownOrFinished(txId)
    this.checkLease(tx)
    if (tx.state === 'failed')
      throw dbError('TX_FAILED', `transaction ${txId} already failed (${tx.failure?.code}): abort it`, {
        txId,
        failure: tx.failure,
      })
    if (tx.state !== 'open')
      throw dbError('TX_FAILED', `transaction ${txId} is ${tx.state}`, { txId, state: tx.state })
    tx.lastUsedMs = this.host.nowMs()
    return tx
  }

  /**
   * Bounds the table: a transaction idle for two leases (failed, or open and never used again) is
   * aborted and forgotten; its id then answers TX_FINISHED.
   */
  private forgetAbandoned(nowMs: number): void {
    const idleMs = 2 * this.host.settings().leaseMs
    for (const tx of this.open.values())
      if (tx.state !== 'committing' && nowMs - tx.lastUsedMs > idleMs) this.finish(tx, 'aborted')
  }

  private checkLease(tx: Tx): void {
    if (tx.state !== 'open' || this.host.nowMs() - tx.lastUsedMs < this.host.settings().leaseMs) return
    this.fail(
      tx,
      dbError(
        'TX_EXPIRED',
        `transaction ${tx.id} was idle past its ${this.host.settings().leaseMs} ms lease`,
      ),
    )
  }

  private unknownOrFinished(txId: string): never {
    const state = this.finished.get(txId)
    if (state) throw dbError('TX_FINISHED', `transaction ${txId} is already ${state}`, { txId, state })
    throw dbError('TX_UNKNOWN', `no transaction ${JSON.stringify(txId)} on ${this.host.id}`, { txId })
  }

  /**
   * Marks the transaction failed (kept until aborted, so its reason shows) and releases its locks —
   * unless it may have reached its commit point (in doubt): the lock owners then ask its record.
   */
  private fail(tx: Tx, e: unknown): unknown {
    if (tx.state === 'open' || tx.state === 'committing') {
      tx.state = 'failed'
      tx.failure = toErrorData(e)
      if (!tx.decided) this.releaseAll(tx, tx.failure)
    }
    const d = toErrorData(e)
    // Before the commit point nothing can ever be applied: say so, whatever the code (a NODE_DOWN
    // here is a refusal, not a coordinator that died under the client).
    return tx.decided ? fromErrorData(d) : dbError(d.code, d.message, { ...d.details, applied: 'none' })
  }

  /** `keepLocks`: COMMITTED but short of W acks somewhere; the lock owners wait for the record. */
  private finish(tx: Tx, state: 'committed' | 'aborted', keepLocks = false): void {
    if (tx.state !== 'failed' && !keepLocks) this.releaseAll(tx)
    // An in-doubt transaction (its record decides) is remembered as failed, not as aborted.
    const final = state === 'aborted' && tx.decided ? 'failed' : state
    tx.state = final
    this.open.delete(tx.id)
    this.finished.set(tx.id, final)
    if (this.finished.size > FINISHED_MAX) this.finished.delete(this.finished.keys().next().value as string)
  }

  private releaseAll(tx: Tx, reason?: ReturnType<typeof toErrorData>): void {
    const body: TxPeerBody = reason
      ? { kind: 'release', txId: tx.id, reason }
      : { kind: 'release', txId: tx.id }
    for (const owner of new Set(tx.owners.values())) void this.send(owner, body, 0).catch(() => {})
  }

  /**
   * The key's lock owner: its first natural owner, whatever this node's failure detector says. Not
   * "the first healthy one": two coordinators with different views would then lock at two nodes and
   * both commit (the sweep found that lost update). While it is down the key takes no transactions.
   */
  private lockOwnerOf(key: string): NodeId {
    const first = this.host.ownersOf(key)[0]
    if (!this.host.healthy(first))
      throw dbError('NODE_DOWN', `${first}, the lock owner of ${JSON.stringify(key)}, is down`, {
        key,
        node: first,
      })
    return first
  }

  /** To this node's lock service directly, else over the network (waits allowed on top of the timeout). */
  private send(to: NodeId, body: TxPeerBody, waitMs: number): Promise<TxPeerReply> {
    if (to === this.host.id) return this.locks.serve(body)
    return this.host.request(to, body, waitMs + 3 * this.host.requestTimeoutMs())
  }
}
