/** Messages between the page and the checker worker (a versioned discriminated union). */
import type { Anomaly } from '../../core/checker/anomaly'
import type { CrdtFinal, CrdtRecord } from '../../core/checker/crdtLive'
import type { ReplicaEntry } from '../../core/checker/divergence'
import type { LiveOp, Verdict } from '../../core/checker/incremental'
import type { FaultSnapshot, RunConfig } from '../../core/checker/opContext'

export const CHECKER_PROTOCOL = 1 as const

/** Page → worker. */
export type ToChecker =
  | { v: typeof CHECKER_PROTOCOL; t: 'reset'; config: RunConfig }
  | {
      v: typeof CHECKER_PROTOCOL
      t: 'events'
      ops: LiveOp[]
      faults: FaultSnapshot[]
      crdt: CrdtRecord[]
      /** Key samplings of the node-side workload seen so far, and whether some of its ops were lost. */
      sampling?: { every: number[]; lost: boolean }
    }
  | {
      v: typeof CHECKER_PROTOCOL
      t: 'final'
      id: number
      finalValues: Array<[string, string | null]>
      replicas: Record<string, Record<string, ReplicaEntry>>
      holders: Record<string, string[]>
      crdtFinals: Array<[string, CrdtFinal]>
      time: number
    }

/** Worker → page. */
export type FromChecker =
  | { v: typeof CHECKER_PROTOCOL; t: 'verdict'; verdict: Verdict; busyMs: number }
  | { v: typeof CHECKER_PROTOCOL; t: 'final-done'; id: number; anomalies: Anomaly[] }
  | { v: typeof CHECKER_PROTOCOL; t: 'error'; code: string; message: string }
