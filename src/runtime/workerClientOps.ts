/**
 * Client operations in the worker runtime: writes and reads go through a node's coalescing client
 * port, other node calls through its comlink API; each fails with NODE_DOWN when the node is down,
 * failed or killed first, NODE_PAUSED when paused, and a node still joining takes no write or read.
 */

import type { Remote } from 'comlink'
import type { ClientAnswer } from '../../workers/clientPort'
import type { NodeWorkerApi } from '../../workers/nodeWorkerApi'
import { writeIntentOf } from '../cluster/results'
import type { OpOptions, ReadResult, WriteOptions, WriteResult } from '../cluster/types'
import { dbError } from '../core/errors'
import type { NodeId } from '../core/ids'
import type { ClientLink } from './clientLink'
import { unwrap } from './outcome'
import type { WorkerNode } from './workerNode'

/** What client operations use of the cluster. */
export interface WorkerClientHost {
  /** The node a reference names (throws once the cluster is shut down). */
  node(ref: number | string): WorkerNode
  /** The node joining now, or null. */
  joining(): NodeId | null
}

export class WorkerClientOps {
  constructor(private readonly host: WorkerClientHost) {}

  /** A client request on the node's coalescing client port; NODE_DOWN if the node dies first. */
  private callClient(ref: number | string, req: Parameters<ClientLink['request']>[0]): Promise<ClientAnswer> {
    const w = this.host.node(ref)
    if (w.status === 'failed') throw failedError(w)
    if (w.status === 'down' || !w.client) throw dbError('NODE_DOWN', `${w.id} is down`)
    if (w.status === 'paused') throw dbError('NODE_PAUSED', `${w.id} is paused`)
    if (w.id === this.host.joining())
      throw dbError(
        'NODE_DOWN',
        `${w.id} is still joining: send operations to another node until addNode resolves`,
      )
    return w.client.request(req)
  }

  // comlink's Remote<> distributes Promise<A | B> into Promise<A> | Promise<B>; callers name T.
  callLive<T>(ref: number | string, fn: (api: Remote<NodeWorkerApi>) => Promise<unknown>): Promise<T> {
    const w = this.host.node(ref)
    if (w.status === 'failed') throw failedError(w)
    if (w.status === 'down' || !w.api) throw dbError('NODE_DOWN', `${w.id} is down`)
    if (w.status === 'paused') throw dbError('NODE_PAUSED', `${w.id} is paused`)
    return Promise.race([fn(w.api) as Promise<T>, w.killed.promise])
  }

  async write(
    ref: number | string,
    key: string,
    value: string | null,
    opts: WriteOptions,
  ): Promise<WriteResult> {
    if (typeof key !== 'string') throw dbError('BAD_INPUT', `keys are strings, got ${typeof key}`)
    const t0 = performance.now()
    const intent = writeIntentOf(opts)
    const answer = await this.callClient(
      ref,
      intent
        ? { op: 'put', key, value, level: opts.level, intent }
        : { op: 'put', key, value, level: opts.level },
    )
    if (answer.op !== 'put') throw dbError('INTERNAL', 'mismatched answer')
    return { ...unwrap(answer.outcome), latencyMs: performance.now() - t0 }
  }

  async readAt(ref: number | string, key: string, opts: OpOptions = {}): Promise<ReadResult> {
    if (typeof key !== 'string') throw dbError('BAD_INPUT', `keys are strings, got ${typeof key}`)
    const t0 = performance.now()
    const answer = await this.callClient(ref, { op: 'read', key, level: opts.level })
    if (answer.op !== 'read') throw dbError('INTERNAL', 'mismatched answer')
    return { ...unwrap(answer.outcome), latencyMs: performance.now() - t0 }
  }
}

/** Operations on a failed node: NODE_DOWN, naming why it could not start. */
function failedError(w: WorkerNode): Error {
  const f = w.failure
  return dbError('NODE_DOWN', `${w.id} failed to start${f ? ` (${f.code}: ${f.message})` : ''}`, {
    failure: f,
  })
}
