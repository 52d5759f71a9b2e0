/**
 * Batches the coordinator's replicate requests per peer: every op sent to a peer in one tick travels
 * in ONE message with one request id, and the peer answers with ONE ack listing the ops it holds.
 * Per-message cost (postMessage, structured clone) dominates a worker's time, so with many writes in
 * flight this divides the message count by the pipeline depth.
 */
import { type DbErrorData, fromErrorData, toErrorData } from '../errors'
import type { NodeId } from '../ids'
import type { ReplicateItem, RowVersion } from '../protocol/messages'
import type { Version } from '../replication/version'
import type { DbNode } from './dbNode'

export interface ItemOutcome {
  acked: boolean
  error?: DbErrorData
  /** The replica already holds a newer version of the key than this op. */
  newer?: Version
}

interface Queued {
  item: ReplicateItem
  resolve: (o: ItemOutcome) => void
}

export class ReplicateOutbox {
  private queues = new Map<NodeId, Queued[]>()
  private scheduled = false

  constructor(private readonly node: DbNode) {}

  /** Queues one op for a peer; resolves when the peer acknowledges it, refuses it, or times out. */
  send(peer: NodeId, item: ReplicateItem): Promise<ItemOutcome> {
    return new Promise((resolve) => {
      let q = this.queues.get(peer)
      if (!q) {
        q = []
        this.queues.set(peer, q)
      }
      q.push({ item, resolve })
      if (!this.scheduled) {
        this.scheduled = true
        queueMicrotask(() => this.flush())
      }
    })
  }

  private flush(): void {
    this.scheduled = false
    const queues = this.queues
    this.queues = new Map()
    const max = this.node.config.replicateBatchMax
    for (const [peer, queued] of queues) {
      for (let i = 0; i < queued.length; i += max) this.sendBatch(peer, queued.slice(i, i + max))
    }
  }

  private sendBatch(peer: NodeId, batch: Queued[]): void {
    const node = this.node
    const { reqId, reply } = node.requests.start(peer, node.config.requestTimeoutMs)
    const items = batch.map((q) => q.item)
    node.replog.markSent(
      items.filter((i) => !i.hintedFor).map((i) => i.op.id),
      peer,
      node.env.clock.nowMs(),
    )
    node.send(peer, node.stream.replicateBody(peer, items, reqId))
    reply.then(
      (m) => {
        if (m.type !== 'replicate-ack') {
          for (const q of batch) q.resolve({ acked: false })
          return
        }
        const ids = new Set(m.ids)
        const newer = new Map((m.newer ?? []).map((n) => [n.id, n.version]))
        for (const q of batch) {
          const id = q.item.op.id
          q.resolve(ids.has(id) ? { acked: true, newer: newer.get(id) } : { acked: false, error: m.error })
        }
      },
      (e) => {
        const error = toErrorData(e)
        for (const q of batch) q.resolve({ acked: false, error })
      },
    )
  }
}

interface QueuedRead {
  key: string
  resolve: (row: RowVersion | null) => void
  reject: (e: unknown) => void
}

/** Batches a coordinator's reads per peer per tick: one read-req with many keys, one read-resp. */
export class ReadOutbox {
  private queues = new Map<NodeId, QueuedRead[]>()
  private scheduled = false

  constructor(private readonly node: DbNode) {}

  /** The peer's row for `key` (null when it has none); rejects on timeout or a coded error. */
  read(peer: NodeId, key: string): Promise<RowVersion | null> {
    return new Promise((resolve, reject) => {
      let q = this.queues.get(peer)
      if (!q) {
        q = []
        this.queues.set(peer, q)
      }
      q.push({ key, resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        // A zero-delay timer, not a microtask: client requests arrive one per host message, so only
        // waiting for the next macrotask lets reads from many concurrent requests share a message.
        this.node.env.timers.set(0, () => this.flush())
      }
    })
  }

  private flush(): void {
    this.scheduled = false
    const queues = this.queues
    this.queues = new Map()
    const max = this.node.config.replicateBatchMax
    for (const [peer, queued] of queues) {
      for (let i = 0; i < queued.length; i += max) this.sendBatch(peer, queued.slice(i, i + max))
    }
  }

  private sendBatch(peer: NodeId, batch: QueuedRead[]): void {
    const node = this.node
    const { reqId, reply } = node.requests.start(peer, node.config.requestTimeoutMs)
    node.send(peer, { type: 'read-req', reqId, keys: batch.map((q) => q.key) })
    reply.then(
      (m) => {
        if (m.type !== 'read-resp' || m.error) {
          const e = m.type === 'read-resp' && m.error ? fromErrorData(m.error) : new Error('unexpected reply')
          for (const q of batch) q.reject(e)
          return
        }
        batch.forEach((q, i) => {
          q.resolve(m.rows[i] ?? null)
        })
      },
      (e) => {
        for (const q of batch) q.reject(e)
      },
    )
  }
}
