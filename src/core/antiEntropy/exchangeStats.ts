/** What one Merkle exchange did: the `detail` of a 'merkle-exchange' event and inspect().merkle rows. */
import type { NodeId } from '../ids'

export interface ExchangeStats {
  peer: NodeId
  rangeIndex: number
  /** Initiator's clock when the exchange started, and how long it took. */
  atMs: number
  durationMs: number
  levelsCompared: number
  nodesCompared: number
  mismatchedLeaves: number
  /** Distinct keys held by either side in the mismatched leaves (what may travel at most). */
  keysInMismatchedLeaves: number
  /** Rows the initiator sent (all its rows of the mismatched leaves). */
  keysSent: number
  /** Rows the peer sent back (its rows of those leaves that the initiator lacked or had older). */
  keysReceived: number
  /** Received rows that were newer here and got written. */
  keysApplied: number
  /** Bytes on the wire for the whole exchange, both directions (hash levels and rows). */
  bytesSent: number
  /** Bytes a full transfer of the initiator's rows of the range would take. */
  fullTransferBytes: number
  /** Set when the exchange stopped early (peer down, timeout, shape mismatch). */
  error?: string
}

/** A fresh stats record for an exchange starting now. */
export function newStats(
  peer: NodeId,
  rangeIndex: number,
  atMs: number,
  fullTransferBytes: number,
): ExchangeStats {
  return {
    peer,
    rangeIndex,
    atMs,
    durationMs: 0,
    levelsCompared: 0,
    nodesCompared: 0,
    mismatchedLeaves: 0,
    keysInMismatchedLeaves: 0,
    keysSent: 0,
    keysReceived: 0,
    keysApplied: 0,
    bytesSent: 0,
    fullTransferBytes,
  }
}
