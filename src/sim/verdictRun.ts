/**
 * The live checker over a simulated cluster: records the cluster's client ops (recordHistory) into
 * an IncrementalChecker, and gives the final check the replica states read from every live node's
 * engine (the state after heal and quiescence, or whatever state the caller left the cluster in).
 */
import { recordHistory, runConfigOf } from '../cluster/recordHistory'
import type { Anomaly } from '../core/checker/anomaly'
import {
  IncrementalChecker,
  type IncrementalOptions,
  type LiveOp,
  type Verdict,
} from '../core/checker/incremental'
import { replicaStates } from './dynamoHarness'
import type { SimCluster } from './simCluster'

export interface LiveVerdict {
  checker: IncrementalChecker
  /** Stops recording. */
  stop(): void
  /** Runs the final check (lost writes, divergence) on the cluster's current replica states. */
  finalCheck(): Promise<Anomaly[]>
  verdict(): Verdict
  /** Every event recorded (only with `keepHistory`, for tests against the batch checker). */
  history: LiveOp[]
}

/** Starts checking `c`'s client operations as they happen. */
export function checkLive(
  c: SimCluster,
  options: IncrementalOptions & { keepHistory?: boolean } = {},
): LiveVerdict {
  const history: LiveOp[] = []
  const checker = new IncrementalChecker(runConfigOf(c.options), options)
  const keys = new Set<string>()
  const rec = recordHistory(c, {
    ops: (batch) => {
      for (const op of batch) keys.add(op.key)
      if (options.keepHistory) history.push(...batch)
      checker.add(batch)
    },
    faults: (f) => checker.noteFaults(f),
  })
  return {
    checker,
    stop: rec.stop,
    history,
    verdict: () => checker.verdict(),
    async finalCheck() {
      const live = c.nodes.filter((n) => n.status === 'up').map((n) => n.index)
      const states = await replicaStates(c, live)
      const owners = (key: string) => c.liveNode(live[0]).owners(key)
      const finalValues = new Map<string, string | null>()
      for (const key of keys) {
        const first = owners(key).find((id) => states[id]) ?? ''
        const entry = states[first]?.[key]
        finalValues.set(key, entry && !entry.tombstone ? rec.nameOf(key, entry.value) : null)
      }
      return checker.finalCheck({ finalValues, replicas: states, holdersOf: owners, time: rec.now() })
    },
  }
}
