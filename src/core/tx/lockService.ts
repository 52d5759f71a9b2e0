/**
 * The lock-owner side of transactions: locks, intents and commit validation for the keys whose first
 * healthy owner is this node. Every request renews its transaction's lease; a periodic sweep drops
 * the locks of transactions whose coordinator went silent (died or was cut off), so no lock outlives
 * its holder by more than leaseMs.
 */
import { dbError } from '../errors'
import type { RowVersion } from '../protocol/messages'
import { compareVersions, type Version } from '../replication/version'
import type { TxHost } from './host'
import { LockTable } from './lockTable'
import type { LockMode, PrepareItem, TxLockView, TxPeerBody, TxPeerReply } from './types'

export class LockService {
  readonly table = new LockTable()
  private sweeping = false
  /** Lock waits in progress per transaction: a waiting transaction is alive, its lease holds. */
  private readonly waiting = new Map<string, number>()

  constructor(private readonly host: TxHost) {}

  /** Serves one body from a coordinator (possibly this node). */
  async serve(body: TxPeerBody): Promise<TxPeerReply> {
    if (body.kind === 'apply') return { applied: await this.host.applyRows(body.rows) }
    const { txId } = body
    if (body.kind === 'release') {
      this.table.release(txId)
      return { ok: true }
    }
    if (this.table.hasEnded(txId))
      throw dbError('TX_EXPIRED', `transaction ${txId} no longer holds locks at ${this.host.id}`, { txId })
    this.renew(txId)
    switch (body.kind) {
      case 'read':
        return { row: await this.host.quorumRow(body.key) }
      case 'lock':
        await this.lock(txId, body.key, body.mode, this.deadline())
        return { row: await this.host.quorumRow(body.key) }
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
      case 'prepare':
        await this.prepare(txId, body.items)
        return { ok: true }
    }
  }

  /** Locks held here (listTransactions). */
  locks(): TxLockView[] {
    return this.table.view()
  }

  private async prepare(txId: string, items: PrepareItem[]): Promise<void> {
    try {
      if (this.table.doomed.has(txId))
        throw dbError('TX_CONFLICT', `transaction ${txId} lost a write-write conflict`, { txId })
      const deadline = this.deadline()
      const sorted = [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      for (const it of sorted) await this.lock(txId, it.key, it.mode, deadline)
      for (const it of sorted) {
        if (it.expect === undefined) continue
        const row = await this.host.quorumRow(it.key)
        if (!sameVersion(row, it.expect))
          throw dbError(
            'TX_CONFLICT',
            `${JSON.stringify(it.key)} was changed by a commit after this transaction read it`,
            { txId, key: it.key, expected: it.expect, found: row?.version ?? null },
          )
      }
    } catch (e) {
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
      const grant = (): void => {
        if (timer !== undefined) this.host.timers.clear(timer)
        done()
        if (this.table.hasEnded(txId)) {
          this.table.release(txId) // the holder expired while it waited
          reject(dbError('TX_EXPIRED', `transaction ${txId} expired while waiting for a lock`, { txId }))
          return
        }
        resolve()
      }
      if (this.table.acquire(txId, key, mode, grant)) return resolve()
      this.waiting.set(txId, (this.waiting.get(txId) ?? 0) + 1)
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
      for (const txId of this.table.expired(this.host.nowMs()))
        if (this.waiting.has(txId)) this.renew(txId)
        else this.table.release(txId)
      if (this.table.empty) this.sweeping = false
      else this.armSweep()
    })
  }
}

function sameVersion(row: RowVersion | null, expect: Version | null): boolean {
  if (row === null || expect === null) return row === null && expect === null
  return compareVersions(row.version, expect) === 0
}
