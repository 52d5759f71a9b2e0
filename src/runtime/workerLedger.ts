/**
 * The worker runtime's hand-over ledger (cluster/handOverLedger.ts): nodes that missed a change
 * stream from their own layout through their worker's handOver call, and a removed node drains —
 * stopped only once its catch-up and its hints are delivered.
 */
import type { Remote } from 'comlink'
import type { NodeWorkerApi, Outcome } from '../../workers/nodeWorkerApi'
import { HandOverLedger, type Layout } from '../cluster/handOverLedger'
import type { NodeId } from '../core/ids'
import type { HandOffStats } from '../core/node/handOff'
import { NODE_DEFAULTS } from '../core/node/nodeConfig'
import { unwrap } from './outcome'
import { workerStream } from './workerHandOver'
import type { WorkerNode } from './workerNode'

export interface WorkerLedgerHost {
  published(): Layout
  worker(id: NodeId): WorkerNode | undefined
  /** bytes/s each streaming node may use. */
  bytesPerSec(): number
  onStats(id: NodeId, stats: HandOffStats): void
}

const live = (w: WorkerNode | undefined): w is WorkerNode & { api: Remote<NodeWorkerApi> } =>
  !!w && w.status === 'up' && !!w.api

export function workerLedger(host: WorkerLedgerHost): HandOverLedger {
  return new HandOverLedger({
    published: () => host.published(),
    stream: (id, from, to, pass) => {
      const w = host.worker(id)
      if (!live(w)) return null
      const bytesPerSec = pass?.bytesPerSec ?? host.bytesPerSec()
      return workerStream(w, from, to, bytesPerSec, pass?.onProgress).then((stats) => host.onStats(id, stats))
    },
    later: (ms, fn) => void setTimeout(fn, ms),
    lateMs: 2 * NODE_DEFAULTS.requestTimeoutMs,
  })
}

/**
 * Hands a removed node's hints to `heir` and reports whether everything it owes is delivered (its
 * catch-up through the ledger first); the caller stops it then, or retries later.
 */
export async function readyToRetire(
  ledger: HandOverLedger,
  w: WorkerNode,
  heir: WorkerNode | undefined,
): Promise<boolean> {
  if (!live(w)) return true // killed meanwhile: nothing left to hand over
  if (!(await ledger.pay(w.id))) return false
  if (!heir) return true
  const handed = Promise.race([w.api.handOverHints(heir.id) as Promise<Outcome<number>>, w.killed.promise])
  return handed.then(unwrap).then(
    () => true,
    () => false,
  )
}
