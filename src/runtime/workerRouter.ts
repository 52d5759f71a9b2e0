/**
 * The worker runtime's router (startRouter): a Web Worker of its own (workers/routerWorker.ts) with a
 * MessageChannel to every live node, the current partition map at start and every map the cluster
 * publishes after. Client ops go page → router → owner; the owner coordinates and answers the router.
 */
import { transfer } from 'comlink'
import type { RouterAnswer, RouterRequest } from '../../workers/routerProtocol'
import { routerClient } from '../cluster/routerClient'
import type { Router } from '../cluster/types'
import { dbError } from '../core/errors'
import type { ReadOutcome, WriteOutcome } from '../core/node/coordinator'
import type { PartitionMap } from '../core/ring/placement'
import { unwrap } from './outcome'
import type { WorkerNode } from './workerNode'

export interface WorkerRouter {
  router: Router
  /** Links the router to a node that just booted (or restarted). */
  link(w: WorkerNode): void
}

export function startWorkerRouter(
  id: string,
  map: PartitionMap,
  nodes: Iterable<WorkerNode>,
  onMap: (listener: (map: PartitionMap) => void) => () => void,
  onStop: () => void,
): WorkerRouter {
  const worker = new Worker(new URL('../../workers/routerWorker.ts', import.meta.url), {
    type: 'module',
    name: id,
  })
  const post = (r: RouterRequest, ports: Transferable[] = []): void => worker.postMessage(r, ports)
  let nextId = 1
  let version = map.version
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  worker.onmessage = (ev: MessageEvent<RouterAnswer>) => {
    const a = ev.data
    if (a.t === 'map') version = Math.max(version, a.version)
    else {
      const p = pending.get(a.id)
      pending.delete(a.id)
      try {
        p?.resolve(unwrap(a.outcome))
      } catch (e) {
        p?.reject(e)
      }
    }
  }
  post({ t: 'init', id, map })
  const link = (w: WorkerNode): void => {
    if (w.status !== 'up' || !w.api) return
    const ch = new MessageChannel()
    void w.api.connectRouter(id, transfer(ch.port2, [ch.port2])).catch(() => {})
    post({ t: 'connect', peer: w.id, port: ch.port1 }, [ch.port1])
  }
  for (const w of nodes) link(w)
  const unsubscribe = onMap((m) => post({ t: 'map', map: m }))
  const call = <T>(req: Omit<Extract<RouterRequest, { t: 'op' }>, 'id' | 't'>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const reqId = nextId++
      pending.set(reqId, { resolve: resolve as (v: unknown) => void, reject })
      post({ t: 'op', id: reqId, ...req })
    })
  const router = routerClient({
    id,
    get mapVersion() {
      return version
    },
    write: (key, value, level, intent) => call<WriteOutcome>({ op: 'put', key, value, level, intent }),
    read: (key, level) => call<ReadOutcome>({ op: 'read', key, level }),
    nowMs: () => performance.now(),
    stop: async () => {
      unsubscribe()
      worker.terminate()
      const stopped = dbError('NODE_DOWN', `${id} was stopped`)
      for (const p of pending.values()) p.reject(stopped)
      pending.clear()
      onStop()
    },
  })
  return { router, link }
}
