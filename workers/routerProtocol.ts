/** Messages between the page and the router worker (workers/routerWorker.ts). */
import type { WriteIntent } from '../src/core/conflict/types'
import type { ReadOutcome, WriteOutcome } from '../src/core/node/coordinator'
import type { ConsistencyLevel } from '../src/core/quorum/consistency'
import type { Outcome } from './nodeWorkerApi'

export type RouterRequest =
  | { t: 'init'; id: string; map: unknown }
  | { t: 'connect'; peer: string; port: MessagePort }
  | { t: 'map'; map: unknown }
  | {
      t: 'op'
      id: number
      op: 'put' | 'read'
      key: string
      value?: string | null
      level?: ConsistencyLevel
      /** A vector write's context or a CRDT op. */
      intent?: WriteIntent
    }

export type RouterAnswer =
  | { t: 'answer'; id: number; outcome: Outcome<WriteOutcome | ReadOutcome> }
  | { t: 'map'; version: number }
