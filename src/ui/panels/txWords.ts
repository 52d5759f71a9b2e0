/** Why a transaction failed or was refused, in words for the Transactions panel (the code stays shown). */
import { toErrorData } from '../../core/errors'

const WHY: Record<string, string> = {
  TX_UNKNOWN: 'no such transaction (never begun here, or its coordinator restarted)',
  TX_FINISHED: 'this transaction already committed or aborted',
  TX_FAILED: 'this transaction already failed: abort it and begin a new one',
  TX_CONFLICT:
    'conflict: another transaction changed or wrote a key this one used, so committing would lose its update',
  TX_EXPIRED: 'its locks expired: it was idle (or its coordinator silent) longer than the lease',
  TX_ABORTED: 'its transaction record was aborted before the commit point: nothing was applied',
  TX_IN_DOUBT:
    'its record holder did not answer at the commit point: the record there decides (COMMITTED is rolled forward, anything else aborts)',
  TX_DEADLOCK: 'aborted to avoid a deadlock: an older transaction needed a lock this one held (wound-wait)',
  TX_NEGATIVE_BALANCE: 'the transfer would take a balance below zero: nothing changed',
  TX_SNAPSHOT_TOO_OLD:
    "snapshot too old: a key changed after this transaction's snapshot and its lock owner no longer keeps the version it had then (restarted, or more rewrites than it keeps), nor could the snapshot move past it: begin a new transaction",
  LOCK_TIMEOUT: 'a key stayed locked by another transaction longer than lockTimeoutMs',
  QUORUM_NOT_MET: 'too few replicas answered',
  NODE_DOWN: 'a node it needs is down',
  TIMEOUT: 'a node it needs did not answer in time',
}

export interface TxProblem {
  code: string
  /** The reason in words, then the node's own message. */
  words: string
  raw: string
}

/** A coded error as the panel shows it. */
export function txProblem(e: unknown): TxProblem {
  const d = toErrorData(e)
  const why = WHY[d.code]
  return { code: d.code, words: why ? `${why} — ${d.message}` : d.message, raw: d.message }
}
