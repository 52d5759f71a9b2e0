/**
 * What the live checker records beside each history op so that it can say WHY an anomaly happened:
 * the cluster's configuration, the faults in effect over time, and per op its coordinator, level and
 * what the cluster answered (acks with stand-ins, replies, versions, siblings, error codes).
 */
import type { ConsistencyLevel } from '../quorum/consistency'

/** The configuration a run's causes are derived from. */
export interface RunConfig {
  /** Replication factor N. */
  n: number
  /** Default write and read quorums (W, R) for ops that name no level. */
  w: number
  r: number
  /** The cluster-wide default level, when one is set (it overrides W and R). */
  level?: ConsistencyLevel
  sloppyQuorum: boolean
  mode: 'lww' | 'vector' | 'crdt'
  timestampSource: 'lamport' | 'wallclock'
  antiEntropyIntervalMs: number
}

/** The faults in effect from `time` on (until the next snapshot). */
export interface FaultSnapshot {
  time: number
  /** Partition groups; empty = no partition. */
  groups: string[][]
  /** Nodes down, paused or failed. */
  down: string[]
  /** Clock skew per node, ms (only non-zero entries). */
  skewMs: Record<string, number>
}

/** What the cluster said about one op (merged from its invoke and its completion). */
export interface OpContext {
  /** The coordinating node (or the ref the caller named). */
  node?: string
  level?: ConsistencyLevel
  /** Where the op came from: 'console', 'workload', 'api' (window.playground), 'ab' … */
  source?: string
  /** A write's replication op id (`node_0:17`), as messages carry it. */
  opId?: string
  version?: { ts: number; node: string }
  acks?: Array<{ node: string; hintedFor?: string }>
  /** A read's replicas that answered, with the version each held. */
  replies?: Array<{ node: string; version: { ts: number; node: string } | null }>
  /** A vector-mode read's siblings (value and writer). */
  siblings?: Array<{ value: string | null; node?: string }>
  /** A failed or indeterminate op's error code. */
  errorCode?: string
  errorMessage?: string
}
