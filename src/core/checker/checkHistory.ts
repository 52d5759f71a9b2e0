/** Runs every detector over one history and says whether it is clean. */
import { type Divergence, findDivergence, type ReplicaStates } from './divergence'
import { type HistoryOp, pairOperations } from './history'
import { checkLinearizability, type KeyLinearizability, type LinearizabilityOptions } from './linearizability'
import { findLostWrites, type LostWrite } from './lostWrites'
import { findStaleReads, type ReadAnomaly } from './staleReads'

export interface CheckInput {
  history: readonly HistoryOp[]
  /** Final reads after heal and quiescence; lost writes are only checked when given. */
  finalValues?: ReadonlyMap<string, string | null>
  versionOrder?: ReadonlyMap<string, readonly string[]>
  /** Replica states after heal and anti-entropy; divergence is only checked when given. */
  replicas?: ReplicaStates
  holdersOf?: (key: string) => readonly string[]
  /** false skips the search (the dedicated detectors are much cheaper). */
  linearizability?: LinearizabilityOptions | false
}

export interface CheckReport {
  /** No anomaly found and no key proven non-linearizable (`unknown` keys do not fail it). */
  valid: boolean
  readAnomalies: ReadAnomaly[]
  lostWrites: LostWrite[]
  divergences: Divergence[]
  linearizability: KeyLinearizability[]
}

/** Pairs the history and runs the stale-read, lost-write, divergence and linearizability checks. */
export function checkHistory(input: CheckInput): CheckReport {
  const ops = pairOperations(input.history)
  const readAnomalies = findStaleReads(ops)
  const lostWrites = input.finalValues
    ? findLostWrites({ ops, finalValues: input.finalValues, versionOrder: input.versionOrder })
    : []
  const divergences = input.replicas ? findDivergence(input.replicas, input.holdersOf) : []
  const linearizability =
    input.linearizability === false ? [] : checkLinearizability(ops, input.linearizability)
  const valid =
    readAnomalies.length === 0 &&
    lostWrites.length === 0 &&
    divergences.length === 0 &&
    linearizability.every((k) => k.verdict !== 'not-linearizable')
  return { valid, readAnomalies, lostWrites, divergences, linearizability }
}
