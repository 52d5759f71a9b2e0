/**
 * Per-peer batching of a coordinator's requests. Every op (or read) sent to a peer in one tick travels
 * in ONE message with one request id, and the peer answers with ONE reply. Per-message cost
 * (postMessage, structured clone) dominates a worker's time, so with many operations in flight this
 * divides the message count by the pipeline depth.
 */
import { AdaptiveWindow } from '../batching/adaptiveWindow'
import { type DbErrorData, fromErrorData, toErrorData } from '../errors'
import type { NodeId } from '../ids'
import type { ReplicateItem, RowVersion } from '../protocol/messages'
import type { Version } from '../replication/version'
import type { DbNode } from './dbNode'

/** Queues items per peer and hands each peer's queue, in batches of at most `batchMax`, to `sendBatch`. */
class PerPeerBatcher<T> {
  private queues = new Map<NodeId, T[]>()
  private scheduled = false

  constructor(
    private readonly schedule: (flush: () => void) => void,
    private readonly batchMax: () => number,
    private readonly sendBatch: (peer: NodeId, batch: T[]) => void,
    /** Told, on each flush, the longest queue it sent. */
    private readonly onFlush?: (largest: number) => void,
  ) {}

  add(peer: NodeId, item: T): void {
    let q = this.queues.get(peer)
    if (!q) {
      q = []
      this.queues.set(peer, q)
    }
    q.push(item)
    if (this.scheduled) return
    this.scheduled = true
    this.schedule(() => this.flush())
  }

  private flush(): void {
    this.scheduled = false
    const queues = this.queues
    this.queues = new Map()
    const max = this.batchMax()
    if (this.onFlush) {
      let largest = 0
      for (const q of queues.values()) largest = Math.max(largest, q.length)
      this.onFlush(largest)
    }
    for (const [peer, queued] of queues) {
      for (let i = 0; i < queued.length; i += max) this.sendBatch(peer, queued.slice(i, i + max))
    }
  }
}

export interface ItemOutcome {
  acked: boolean
  error?: DbErrorData
  /** The replica already holds a newer version of the key than this op. */
  newer?: Version
}

interface QueuedItem {
  item: ReplicateItem
  resolve: (o: ItemOutcome) => void
}

/**
 * Replicate requests: one message and one ack per peer per tick, or, under load, per batching window
 * (adaptiveWindow.ts; the node's timers, bounded by `batchWindowMsMax`).
 */
export class ReplicateOutbox {
  private readonly batcher: PerPeerBatcher<QueuedItem>
  /** The send window; inspect() and the node snapshot show it. */
  readonly window: AdaptiveWindow
  private waitedMs = 0
  messagesSent = 0
  itemsSent = 0

  constructor(private readonly node: DbNode) {
    // node.env is read on each call: the node builds its outbox before its env field is set.
    this.window = new AdaptiveWindow(
      { nowMs: () => node.env.clock.nowMs() },
      () => node.config.batchWindowMsMax ?? 0,
    )
    this.batcher = new PerPeerBatcher(
      (flush) => {
        this.waitedMs = this.window.windowMs()
        if (this.waitedMs > 0) node.env.timers.set(this.waitedMs, flush)
        else queueMicrotask(flush)
      },
      () => node.config.replicateBatchMax,
      (peer, batch) => this.sendBatch(peer, batch),
      (largest) => this.window.batchDone(this.waitedMs, largest),
    )
  }

  /**
   * Queues one op for a peer; `done` is called once, when the peer acknowledges it, refuses it, or
   * the request times out (a callback, not a promise: this runs twice per write).
   */
  send(peer: NodeId, item: ReplicateItem, done: (o: ItemOutcome) => void): void {
    this.window.note()
    this.batcher.add(peer, { item, resolve: done })
  }

  private sendBatch(peer: NodeId, batch: QueuedItem[]): void {
    const node = this.node
    const { reqId, reply } = node.requests.start(peer, node.config.requestTimeoutMs)
    const items = batch.map((q) => q.item)
    this.messagesSent++
    this.itemsSent += items.length
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

/** Reads: one read-req with many keys and one read-resp per peer per flush. */
export class ReadOutbox {
  private readonly batcher: PerPeerBatcher<QueuedRead>

  constructor(private readonly node: DbNode) {
    this.batcher = new PerPeerBatcher(
      // A zero-delay timer, not a microtask: client requests arrive one per host message, so only
      // waiting for the next macrotask lets reads from many concurrent requests share a message.
      (flush) => void node.env.timers.set(0, flush),
      () => node.config.replicateBatchMax,
      (peer, batch) => this.sendBatch(peer, batch),
    )
  }

  /** The peer's row for `key` (null when it has none); rejects on timeout or a coded error. */
  read(peer: NodeId, key: string): Promise<RowVersion | null> {
    return new Promise((resolve, reject) => this.batcher.add(peer, { key, resolve, reject }))
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
