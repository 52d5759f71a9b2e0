/**
 * The live checker over a simulated cluster: records the cluster's client ops (recordHistory) into
 * an IncrementalChecker, and gives the final check the replica states read from every live node's
 * engine (the state after heal and quiescence, or whatever state the caller left the cluster in).
 */
import { recordHistory, runConfigOf } from '../cluster/recordHistory'
import type { Anomaly } from '../core/checker/anomaly'
import type { CrdtFinal } from '../core/checker/crdtLive'
import {
  IncrementalChecker,
  type IncrementalOptions,
  type LiveOp,
  type Verdict,
} from '../core/checker/incremental'
import { canonical } from '../core/conflict/crdt/canonical'
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
  /** Takes the node-side workload's ops recorded since the last call into the history (as the page does). */
  pullWorkload(): number
}

/** Starts checking `c`'s client operations as they happen. */
export function checkLive(
  c: SimCluster,
  options: IncrementalOptions & { keepHistory?: boolean } = {},
): LiveVerdict {
  const history: LiveOp[] = []
  const checker = new IncrementalChecker(runConfigOf(c.options), options)
  const keys = new Set<string>()
  const crdtKeys = new Set<string>()
  const rec = recordHistory(c, {
    ops: (batch) => {
      for (const op of batch) keys.add(op.key)
      if (options.keepHistory) history.push(...batch)
      checker.add(batch)
    },
    faults: (f) => checker.noteFaults(f),
    crdt: (r) => {
      crdtKeys.add(r.key)
      checker.addCrdt([r])
    },
  })
  return {
    checker,
    stop: rec.stop,
    history,
    verdict: () => checker.verdict(),
    pullWorkload() {
      let n = 0
      for (const b of c.takeWorkloadHistory()) {
        if (b.sampleEvery > 1 || b.dropped > 0) checker.noteSampling(b.sampleEvery, b.dropped > 0)
        rec.workload(b)
        n += b.records.length
      }
      return n
    },
    async finalCheck() {
      const live = c.nodes.filter((n) => n.status === 'up').map((n) => n.index)
      const states = await replicaStates(c, live)
      // A merged state (siblings, a CRDT) is compared by its canonical text: replicas holding equal
      // states may have written their JSON in another key order, under another version stamp.
      const merging = (key: string) =>
        c.options.consistencyMode === 'vector' || Object.hasOwn(c.options.crdtConfig, key)
      for (const rows of Object.values(states))
        for (const [key, e] of Object.entries(rows))
          if (merging(key) && e.value !== null && !e.tombstone) {
            const text = canonical(JSON.parse(e.value))
            rows[key] = { value: text, version: text, tombstone: false }
          }
      const owners = (key: string) => c.liveNode(live[0]).owners(key)
      const finalValues = new Map<string, string | null>()
      // A merged key keeps every concurrent write: no single final value to lose writes against.
      for (const key of keys) {
        if (merging(key)) continue
        const first = owners(key).find((id) => states[id]) ?? ''
        const entry = states[first]?.[key]
        finalValues.set(key, entry && !entry.tombstone ? rec.nameOf(key, entry.value) : null)
      }
      const crdtFinals = new Map<string, CrdtFinal>()
      for (const key of crdtKeys) {
        const r = await rec.rawRead(live[0], key, { level: 'ALL' }).catch(() => null)
        if (r?.crdt) crdtFinals.set(key, { type: r.crdt.type, value: r.crdt.value })
      }
      return checker.finalCheck({
        finalValues,
        replicas: states,
        holdersOf: owners,
        crdtFinals,
        time: rec.now(),
      })
    },
  }
}
