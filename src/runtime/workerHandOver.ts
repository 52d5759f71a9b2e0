/**
 * The page's side of a worker's hand-over: count what it would send, and stream while polling the
 * rows and bytes acknowledged so far (the worker keeps them under a progress key) for move progress.
 * Both race the worker's kill switch, so a killed worker ends its pass instead of hanging it.
 */
import type { Remote } from 'comlink'
import type { NodeWorkerApi, Outcome } from '../../workers/nodeWorkerApi'
import type { Layout } from '../cluster/handOverLedger'
import type { HandOffCount, HandOffStats } from '../core/node/handOff'
import { ringToJson } from '../core/ring/ringJson'
import { unwrap } from './outcome'
import type { WorkerNode } from './workerNode'

/** How often the page asks a streaming worker for its hand-over progress. */
const PROGRESS_POLL_MS = 100

let progressKeys = 0

/** Straight to the worker (a leaving node is no longer a member that refs resolve to). */
function call<T>(w: WorkerNode, run: (api: Remote<NodeWorkerApi>) => Promise<unknown>): Promise<T> {
  if (!w.api) return Promise.reject(new Error(`${w.id} has no worker`))
  return Promise.race([run(w.api) as Promise<Outcome<T>>, w.killed.promise]).then(unwrap)
}

/** What `w` would stream moving its rows from layout `from` to `to` (nothing sent). */
export function workerCount(w: WorkerNode, from: Layout, to: Layout): Promise<HandOffCount> {
  return call(w, (api) => api.countHandOver(ringToJson(to.ring), to.n, ringToJson(from.ring), from.n))
}

/**
 * Streams `w`'s rows from layout `from` to `to` at `bytesPerSec`; `onProgress` (when given) gets the
 * rows and bytes acknowledged so far every PROGRESS_POLL_MS.
 */
export async function workerStream(
  w: WorkerNode,
  from: Layout,
  to: Layout,
  bytesPerSec: number,
  onProgress?: (rows: number, bytes: number) => void,
): Promise<HandOffStats> {
  const key = onProgress ? `${w.id}:${++progressKeys}` : undefined
  const poll =
    onProgress &&
    setInterval(() => {
      if (key === undefined || !w.api) return
      void Promise.resolve(w.api.handOverProgress(key))
        .then((p) => p && onProgress(p.rows, p.bytes))
        .catch(() => {})
    }, PROGRESS_POLL_MS)
  try {
    return await call<HandOffStats>(w, (api) =>
      api.handOver(ringToJson(to.ring), to.n, bytesPerSec, ringToJson(from.ring), from.n, key),
    )
  } finally {
    if (poll) clearInterval(poll)
  }
}
