/**
 * Row locks at a key's lock owner: shared (S) and exclusive (X) locks per key, FIFO waiters, write
 * intents (snapshot isolation's write-write check) and per-transaction leases. Pure bookkeeping:
 * the lock service (lockService.ts) supplies time and turns waits into promises.
 */
import type { LockMode, TxLockView } from './types'

interface Waiter {
  txId: string
  mode: LockMode
  grant: () => void
}

interface KeyLocks {
  shared: Set<string>
  exclusive: string | null
  waiters: Waiter[]
}

/** Most finished transaction ids remembered (a late request of one is refused, not re-locked). */
const ENDED_MAX = 4096

export class LockTable {
  private readonly keys = new Map<string, KeyLocks>()
  private readonly held = new Map<string, Set<string>>()
  private readonly intents = new Map<string, string>()
  private readonly leases = new Map<string, number>()
  /** Transactions a write-write conflict doomed: their prepare fails. */
  readonly doomed = new Set<string>()
  private readonly ended = new Set<string>()
  /** Told whenever a transaction's locks go here (snapshot reads wait for prepared holders). */
  onRelease: (txId: string) => void = () => {}

  /** True when `txId` already ended here (released or expired). */
  hasEnded(txId: string): boolean {
    return this.ended.has(txId)
  }

  /** Renews a transaction's lease until `untilMs`. */
  renew(txId: string, untilMs: number): void {
    this.leases.set(txId, untilMs)
  }

  /** Grants now (true) or queues `grant` until the lock is free (false). Re-entrant; S→X upgrades. */
  acquire(txId: string, key: string, mode: LockMode, grant: () => void): boolean {
    const k = this.entry(key)
    if (this.compatible(k, txId, mode)) {
      this.take(k, txId, key, mode)
      return true
    }
    k.waiters.push({ txId, mode, grant })
    return false
  }

  /** Grants every queued wait of `txId` at once, so its waiters see it ended (released) and fail. */
  dropWaits(txId: string): void {
    for (const [key, k] of [...this.keys]) {
      const mine = k.waiters.filter((w) => w.txId === txId)
      if (mine.length === 0) continue
      k.waiters = k.waiters.filter((w) => w.txId !== txId)
      this.tidy(key, k)
      for (const w of mine) w.grant()
    }
  }

  /** The transactions holding `key` in a mode that blocks `txId` from taking `mode`. */
  blockers(txId: string, key: string, mode: LockMode): string[] {
    const k = this.keys.get(key)
    if (!k) return []
    if (k.exclusive !== null && k.exclusive !== txId) return [k.exclusive]
    return mode === 'X' ? [...k.shared].filter((t) => t !== txId) : []
  }

  /** Drops a queued wait (the waiter timed out). */
  cancel(txId: string, key: string, grant: () => void): void {
    const k = this.keys.get(key)
    if (!k) return
    k.waiters = k.waiters.filter((w) => !(w.txId === txId && w.grant === grant))
    this.tidy(key, k)
  }

  /**
   * Registers a write intent. Returns the other transaction holding one on the key (both are then
   * doomed: neither saw the other's write), or the X-lock holder that blocks it, or null.
   */
  intend(txId: string, key: string): string | null {
    const other = this.intents.get(key)
    if (other !== undefined && other !== txId) {
      this.doomed.add(other)
      this.doomed.add(txId)
      return other
    }
    const x = this.keys.get(key)?.exclusive
    if (x && x !== txId) return x
    this.intents.set(key, txId)
    this.heldBy(txId).add(key)
    return null
  }

  /** Releases every lock and intent of `txId`, wakes waiters that now fit, and forgets it. */
  release(txId: string): void {
    const keys = this.held.get(txId)
    this.held.delete(txId)
    this.leases.delete(txId)
    this.doomed.delete(txId)
    this.ended.add(txId)
    if (this.ended.size > ENDED_MAX) this.ended.delete(this.ended.values().next().value as string)
    this.onRelease(txId)
    if (!keys) return
    for (const key of keys) {
      if (this.intents.get(key) === txId) this.intents.delete(key)
      const k = this.keys.get(key)
      if (!k) continue
      k.shared.delete(txId)
      if (k.exclusive === txId) k.exclusive = null
      this.wake(key, k)
    }
  }

  /** Transactions whose lease ran out by `nowMs`. */
  expired(nowMs: number): string[] {
    const out: string[] = []
    for (const [txId, until] of this.leases) if (until <= nowMs) out.push(txId)
    return out
  }

  /** True when nothing is locked, intended or leased. */
  get empty(): boolean {
    return this.leases.size === 0 && this.held.size === 0 && this.keys.size === 0
  }

  /** Every lock and intent held here. */
  view(): TxLockView[] {
    const out: TxLockView[] = []
    for (const [key, k] of this.keys) {
      if (k.exclusive) out.push({ key, txId: k.exclusive, mode: 'X' })
      for (const t of k.shared) if (t !== k.exclusive) out.push({ key, txId: t, mode: 'S' })
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.txId < b.txId ? -1 : 1))
  }

  private compatible(k: KeyLocks, txId: string, mode: LockMode): boolean {
    if (k.exclusive === txId) return true
    if (k.exclusive !== null) return false
    if (mode === 'S') return true
    return k.shared.size === 0 || (k.shared.size === 1 && k.shared.has(txId))
  }

  private take(k: KeyLocks, txId: string, key: string, mode: LockMode): void {
    if (mode === 'X') k.exclusive = txId
    k.shared.add(txId)
    this.heldBy(txId).add(key)
  }

  private wake(key: string, k: KeyLocks): void {
    for (let i = 0; i < k.waiters.length; ) {
      const w = k.waiters[i]
      if (!this.compatible(k, w.txId, w.mode)) {
        i++
        continue
      }
      k.waiters.splice(i, 1)
      this.take(k, w.txId, key, w.mode)
      w.grant()
    }
    this.tidy(key, k)
  }

  private tidy(key: string, k: KeyLocks): void {
    if (k.exclusive === null && k.shared.size === 0 && k.waiters.length === 0) this.keys.delete(key)
  }

  private entry(key: string): KeyLocks {
    let k = this.keys.get(key)
    if (!k) {
      k = { shared: new Set(), exclusive: null, waiters: [] }
      this.keys.set(key, k)
    }
    return k
  }

  private heldBy(txId: string): Set<string> {
    let s = this.held.get(txId)
    if (!s) {
      s = new Set()
      this.held.set(txId, s)
    }
    return s
  }
}
