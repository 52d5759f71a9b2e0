/**
 * increment and transfer: short transactions under getForUpdate locks run on the coordinator node
 * itself (no client round trip while the locks are held), retried when a lock wait or a conflict
 * refused one before anything was applied.
 */
import { dbError, isDbError } from '../errors'
import type { TxPriority } from './types'

/** The coordinator calls an atomic op needs. */
export interface TxSteps {
  begin(prio?: TxPriority): string
  priorityOf(txId: string): TxPriority | undefined
  read(txId: string, key: string, forUpdate: boolean): Promise<string | null>
  write(txId: string, key: string, value: string | null): Promise<null>
  commit(txId: string): Promise<unknown>
  abort(txId: string): Promise<null>
}

/** Refusals that happen before the commit point: nothing was applied, so a retry is safe. */
const RETRY_CODES = new Set(['LOCK_TIMEOUT', 'TX_CONFLICT', 'TX_DEADLOCK', 'TX_ABORTED'])

/** Attempts when a lock wait or a conflict refused one (nothing applied then). */
const ATTEMPTS_MAX = 5

/** Adds `amount` to the integer under `key` (absent = 0); returns the new value. */
export function increment(tx: TxSteps, key: string, amount: number): Promise<string> {
  checkAmount('increment', amount)
  return atomically(tx, async (txId) => {
    const next = String(intOf(key, await tx.read(txId, key, true)) + amount)
    await tx.write(txId, key, next)
    return next
  })
}

/** Moves `amount` from the integer under `fromKey` to the one under `toKey`; returns both values. */
export function transfer(
  tx: TxSteps,
  fromKey: string,
  toKey: string,
  amount: number,
): Promise<[string, string]> {
  checkAmount('transfer', amount)
  if (fromKey === toKey) throw dbError('BAD_INPUT', 'transfer needs two different keys')
  return atomically(tx, async (txId) => {
    // Lock in key order: two opposite transfers cannot each hold the lock the other waits for.
    const [a, b] = [fromKey, toKey].sort()
    const got = new Map([
      [a, await tx.read(txId, a, true)],
      [b, await tx.read(txId, b, true)],
    ])
    const balances = [intOf(fromKey, got.get(fromKey) ?? null), intOf(toKey, got.get(toKey) ?? null)]
    const after = [balances[0] - amount, balances[1] + amount]
    // The balance that goes down must not go below zero (a negative amount moves money back).
    const down = amount >= 0 ? 0 : 1
    if (after[down] < 0)
      throw dbError(
        'TX_NEGATIVE_BALANCE',
        `transfer of ${amount} would leave ${JSON.stringify([fromKey, toKey][down])} at ${after[down]} (it holds ${balances[down]}): nothing changed`,
        { key: [fromKey, toKey][down], balance: balances[down], amount },
      )
    const from = String(after[0])
    const to = String(after[1])
    await tx.write(txId, fromKey, from)
    await tx.write(txId, toKey, to)
    return [from, to]
  })
}

async function atomically<T>(tx: TxSteps, body: (txId: string) => Promise<T>): Promise<T> {
  let prio: TxPriority | undefined
  for (let attempt = 1; ; attempt++) {
    // A retry keeps the first attempt's priority: under wound-wait it only gets older, so it wins.
    const txId = tx.begin(prio)
    prio ??= tx.priorityOf(txId)
    try {
      const out = await body(txId)
      await tx.commit(txId)
      return out
    } catch (e) {
      await tx.abort(txId).catch(() => {})
      // TX_FAILED: a step after the one that failed it (a wound arrives between two steps).
      const cause =
        isDbError(e) && e.code === 'TX_FAILED' ? (e.details?.failure as { code?: string })?.code : null
      const retry = isDbError(e) && (RETRY_CODES.has(e.code) || (cause != null && RETRY_CODES.has(cause)))
      if (!retry || attempt >= ATTEMPTS_MAX) throw e
    }
  }
}

function checkAmount(op: string, amount: unknown): void {
  if (!Number.isSafeInteger(amount))
    throw dbError('BAD_INPUT', `${op} takes an integer amount, got ${String(amount)}`)
}

function intOf(key: string, v: string | null): number {
  if (v === null) return 0
  const n = Number(v)
  if (v.trim() === '' || !Number.isSafeInteger(n))
    throw dbError('BAD_INPUT', `${JSON.stringify(key)} holds ${JSON.stringify(v)}, not an integer`, { key })
  return n
}
