/**
 * Client requests (put, delete, read) between the page and a node worker travel on a dedicated
 * MessagePort, coalesced: every request issued in one tick goes in ONE message, and every answer
 * ready in one tick comes back in ONE message (a driver's "message coalescing"). With a pipelined
 * client this divides the per-message cost — structured clone and dispatch on both threads — by the
 * pipeline depth; comlink stays for control calls. Values are strings, so answers are plain JSON.
 */
import type { ReadResult, WriteResult } from '../src/cluster/types'
import type { WriteIntent } from '../src/core/conflict/types'
import type { ConsistencyLevel } from '../src/core/quorum/consistency'
import type { Outcome } from './nodeWorkerApi'

export type ClientRequest =
  | {
      id: number
      op: 'put'
      key: string
      value: string | null
      level?: ConsistencyLevel
      /** A vector write's context or a CRDT op. */
      intent?: WriteIntent
    }
  | { id: number; op: 'read'; key: string; level?: ConsistencyLevel }

export type ClientAnswer =
  | { id: number; op: 'put'; outcome: Outcome<Omit<WriteResult, 'latencyMs'>> }
  | { id: number; op: 'read'; outcome: Outcome<Omit<ReadResult, 'latencyMs'>> }

/** A batch, either direction; on the wire it is its JSON text (see `readBatch`). */
export interface ClientBatch<T> {
  items: T[]
}

/**
 * The batch a port message carries. Batches cross as one JSON string: a string clones as a copy,
 * and JSON.stringify/parse of plain objects cost far less than structured clone's per-object work.
 */
export function readBatch<T>(data: string): ClientBatch<T> {
  return JSON.parse(data) as ClientBatch<T>
}

/** Collects items and posts them as one batch (JSON text) per tick. */
export function coalescer<T>(post: (wire: string) => void): (item: T) => void {
  let items: T[] = []
  let scheduled = false
  return (item) => {
    items.push(item)
    if (scheduled) return
    scheduled = true
    queueMicrotask(() => {
      scheduled = false
      const batch: ClientBatch<T> = { items }
      items = []
      post(JSON.stringify(batch))
    })
  }
}
