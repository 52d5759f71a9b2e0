/**
 * Booting one node worker: start the worker, open its database, link it to every live peer. Every
 * await is bounded (workerNode.ts) and followed by an incarnation check, so a kill during the boot
 * wins and a peer that dies or hangs while we link to it is simply down (it links to us when it boots
 * again). A node whose open fails is left `failed` with the coded error, and the rest runs on.
 */

import { transfer, wrap } from 'comlink'
import type { NodeWorkerApi, Outcome, WorkerUpdate } from '../../workers/nodeWorkerApi'
import { emptySnapshot } from '../cluster/results'
import type { ResolvedClusterOptions } from '../cluster/types'
import { type DbErrorData, dbError, fromErrorData, toErrorData } from '../core/errors'
import type { ClusterEvent } from '../core/events'
import type { FaultState } from '../core/faults/linkRules'
import type { NodeId } from '../core/ids'
import type { NodeConfig } from '../core/node/nodeConfig'
import { ClientLink } from './clientLink'
import {
  bounded,
  dbNameOf,
  killedDuringBoot,
  OPEN_TIMEOUT_MS,
  STEP_TIMEOUT_MS,
  type WorkerNode,
} from './workerNode'

/** What a boot needs from the cluster. */
export interface BootHost {
  /** The configuration `id` opens with: the published one (a joining node: the one it joins into). */
  configFor(id: NodeId): NodeConfig
  readonly options: ResolvedClusterOptions
  readonly faults: FaultState
  readonly pausedAll: boolean
  nodes(): Iterable<WorkerNode>
  onUpdate(w: WorkerNode, u: WorkerUpdate): void
  record(e: ClusterEvent): void
  notify(): void
}

/** A rebuild: delete the node's database first, and never reuse an op seq its peers have seen. */
export interface BootPlan {
  fresh?: boolean
  ownSeqFloor?: number
  /** The cluster's first boot of the node (an empty disk keeps epoch 0: DbNode OpenOptions). */
  initial?: boolean
}

/** Runs one boot of `w` as incarnation `incarnation` (the caller bumped it and shares the promise). */
export async function bootNode(
  host: BootHost,
  w: WorkerNode,
  incarnation: number,
  plan: BootPlan = {},
): Promise<void> {
  const killed = w.killed.promise
  const current = (): void => {
    if (w.incarnation !== incarnation) throw killedDuringBoot(w.id)
  }
  const step = async <T>(work: Promise<T>, ms: number, what: string): Promise<T> => {
    const v = await bounded(work, ms, `${w.id}: ${what}`, killed)
    current()
    return v
  }
  const worker = new Worker(new URL('../../workers/nodeWorker.ts', import.meta.url), {
    type: 'module',
    name: w.id,
  })
  // A worker whose script fails to load or throws at top level never answers: fail fast instead.
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (ev) =>
      reject(dbError('INTERNAL', `${w.id}'s worker failed: ${ev.message || 'script error'}`)),
    )
  })
  crashed.catch(() => {})
  const api = wrap<NodeWorkerApi>(worker)
  const updates = new MessageChannel()
  // An update a killed incarnation posted before it died must not paint over the new one.
  updates.port1.onmessage = (ev: MessageEvent<WorkerUpdate>) => {
    if (w.incarnation === incarnation) host.onUpdate(w, ev.data)
  }
  const client = new MessageChannel()
  w.worker = worker
  w.api = api
  w.client?.close()
  w.client = new ClientLink(client.port1)
  try {
    const opened = await step(
      Promise.race([
        api.open(
          transfer(
            {
              id: w.id,
              config: host.configFor(w.id),
              dbName: dbNameOf(host.options.dbPrefix, w.id),
              persist: host.options.persist,
              faults: host.faults,
              skewMs: w.skewMs,
              diskFaults: w.diskFaults,
              seed: host.options.seed + w.index,
              updates: updates.port2,
              client: client.port2,
              fresh: plan.fresh,
              ownSeqFloor: plan.ownSeqFloor,
              initial: plan.initial,
            },
            [updates.port2, client.port2],
          ),
        ),
        crashed,
      ]),
      OPEN_TIMEOUT_MS,
      'opening its database',
    )
    if (!opened.ok) throw fromErrorData(opened.error)
    w.status = 'up'
    w.failure = undefined
    // Direct links to every live peer (both ends replaced if the peer had an old one to us).
    const peers = [...host.nodes()].filter(
      (p) => p !== w && (p.status === 'up' || p.status === 'paused') && p.api,
    )
    await Promise.all(peers.map((p) => link(host, w, p, step)))
    if (host.pausedAll) await step(api.pause(), STEP_TIMEOUT_MS, 'pausing')
  } catch (e) {
    if (w.incarnation === incarnation) markFailed(host, w, toErrorData(e))
    throw e
  }
  host.record({ t: Date.now(), type: 'node-status', node: w.id, detail: 'up' })
  host.notify()
}

/**
 * One MessageChannel between a booting node and a live peer. Our own end must be taken (else the
 * boot fails); the peer's end is best effort: a peer killed or hung meanwhile is down, not our fault.
 */
async function link(
  host: BootHost,
  w: WorkerNode,
  p: WorkerNode,
  step: <T>(work: Promise<T>, ms: number, what: string) => Promise<T>,
): Promise<void> {
  const ch = new MessageChannel()
  const peerApi = p.api!
  // This incarnation's switch, taken before the call: a kill replaces p.killed with a fresh one.
  const peerKilled = p.killed.promise
  const theirs = bounded(
    peerApi.connect(w.id, transfer(ch.port2, [ch.port2])),
    STEP_TIMEOUT_MS,
    `${p.id}: connect to ${w.id}`,
    peerKilled,
  ).catch((e: unknown) => {
    host.record({
      t: Date.now(),
      type: 'node-status',
      node: p.id,
      detail: `did not take a link from ${w.id} (${toErrorData(e).code}); it is linked when it restarts`,
    })
  })
  await step(w.api!.connect(p.id, transfer(ch.port1, [ch.port1])), STEP_TIMEOUT_MS, `connect to ${p.id}`)
  await theirs
}

/** The node could not start: its worker is stopped and it shows `failed` with the coded reason. */
function markFailed(host: BootHost, w: WorkerNode, failure: DbErrorData): void {
  w.worker?.terminate()
  w.worker = null
  w.api = null
  w.client?.close(dbError('NODE_DOWN', `${w.id} failed to start: ${failure.code}`))
  w.client = undefined
  w.status = 'failed'
  w.failure = failure
  w.snapshot = { ...emptySnapshot(w.id, 'failed', w.skewMs), failure }
  host.record({
    t: Date.now(),
    type: 'node-status',
    node: w.id,
    detail: `failed: ${failure.code} ${failure.message}`,
  })
  host.notify()
}

/** The highest seq of `w`'s own ops any live peer has seen (0 when none answers). */
export async function ownSeqSeenByPeers(nodes: Iterable<WorkerNode>, w: WorkerNode): Promise<number> {
  const seen = await Promise.all(
    [...nodes]
      .filter((p) => p !== w && p.status === 'up' && p.api)
      .map(async (p) => {
        const asked = p.api!.inspect() as Promise<Outcome<Record<string, unknown>>>
        const out = await bounded(asked, STEP_TIMEOUT_MS, `${p.id}: inspect`, p.killed.promise)
        if (!out.ok) return 0
        const d = (out.value.dots as Record<string, { max: number; extra: Array<[number, number]> }>)[w.id]
        return d ? Math.max(d.max, ...d.extra.map(([, to]) => to)) : 0
      })
      .map((p) => p.catch(() => 0)),
  )
  return Math.max(0, ...seen)
}
