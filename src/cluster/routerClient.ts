/**
 * The router client of both runtimes: the Cluster API's shapes (WriteResult, ReadResult, get, delete)
 * over a routing node that takes an op and answers with its owner's outcome.
 */
import type { CrdtOp, WriteIntent } from '../core/conflict/types'
import { dbError } from '../core/errors'
import type { ReadOutcome, WriteOutcome } from '../core/node/coordinator'
import type { ConsistencyLevel } from '../core/quorum/consistency'
import { toReadResult, writeIntentOf } from './results'
import type { OpOptions, ReadResult, Router, WriteOptions, WriteResult } from './types'

export interface RouterLink {
  readonly id: string
  readonly mapVersion: number
  write(
    key: string,
    value: string | null,
    level?: ConsistencyLevel,
    intent?: WriteIntent,
  ): Promise<WriteOutcome>
  read(key: string, level?: ConsistencyLevel): Promise<ReadOutcome>
  nowMs(): number
  stop(): Promise<void>
}

export function routerClient(link: RouterLink): Router {
  let stopped = false
  const open = (): void => {
    if (stopped) throw dbError('NODE_DOWN', `${link.id} was stopped`)
  }
  const write = async (key: string, value: string | null, opts: WriteOptions): Promise<WriteResult> => {
    open()
    if (typeof key !== 'string') throw dbError('BAD_INPUT', `keys are strings, got ${typeof key}`)
    const t0 = link.nowMs()
    const out = await link.write(key, value, opts.level, writeIntentOf(opts))
    return { ok: true, key, version: out.version, acks: out.acks, latencyMs: link.nowMs() - t0 }
  }
  const read = async (key: string, opts: OpOptions = {}): Promise<ReadResult> => {
    open()
    if (typeof key !== 'string') throw dbError('BAD_INPUT', `keys are strings, got ${typeof key}`)
    const t0 = link.nowMs()
    const out = await link.read(key, opts.level)
    return { ...toReadResult(out), latencyMs: link.nowMs() - t0 }
  }
  return {
    id: link.id,
    get mapVersion() {
      return link.mapVersion
    },
    put: (key, value, opts = {}) => {
      if (typeof value !== 'string')
        return Promise.reject(dbError('BAD_INPUT', `values are strings, got ${typeof value}`))
      return write(key, value, { level: opts.level, context: opts.context })
    },
    delete: (key, opts = {}) => write(key, null, { level: opts.level, context: opts.context }),
    applyCrdt: async (key: string, op: CrdtOp, opts: OpOptions = {}) => {
      if (typeof op !== 'object' || op === null)
        throw dbError('BAD_INPUT', `a CRDT op is an object like { inc: 1 }, got ${JSON.stringify(op)}`)
      return write(key, null, { level: opts.level, crdt: op })
    },
    read,
    get: async (key, opts = {}) => (await read(key, opts)).value,
    stop: async () => {
      if (stopped) return
      stopped = true
      await link.stop()
    },
  }
}
