/** Observable node events: what the dashboard's timeline and edge animations are drawn from. */
import type { NodeId } from './ids'

export const EVENT_TYPES = [
  'send',
  'deliver',
  'drop',
  'apply',
  'discard',
  'peer-state',
  'log-prune',
  'hint-store',
  'hint-deliver',
  'read-repair',
  'merkle-exchange',
  'flush',
  'compaction',
  'node-status',
  /** Rows streamed to their new owners before a membership change is published. */
  'hand-over',
  'client-op',
  'storage-corrupt',
  /** Storage faults injected by the user (set, changed, cleared; a torn WAL tail left by a kill). */
  'disk-fault',
  /** Vector mode: a key's siblings past siblingsMax were merged away (the oldest first). */
  'siblings-merged',
] as const

export type EventType = (typeof EVENT_TYPES)[number]

export interface ClusterEvent {
  /** Milliseconds on the cluster timeline (virtual in the simulator). */
  t: number
  type: EventType
  node: NodeId
  peer?: NodeId
  /** Message kind for send/deliver/drop. */
  msg?: string
  opId?: string
  key?: string
  detail?: string
  /**
   * Traced messages (the space-time diagram): a `deliver` or `drop` says when the message was sent
   * (same time base as `t`), the sender's Lamport clock then, and the op ids, keys and version it
   * carries (the first few of a batch: protocol/messageTrace.ts).
   */
  sentT?: number
  lamport?: number
  opIds?: string[]
  keys?: string[]
  version?: string
}

/** A fixed-size ring buffer of events: observation must never grow memory without bound. */
export class EventBuffer {
  private buf: ClusterEvent[] = []
  private start = 0
  total = 0
  constructor(readonly capacity: number) {}

  push(e: ClusterEvent): void {
    this.total++
    if (this.buf.length < this.capacity) this.buf.push(e)
    else {
      this.buf[this.start] = e
      this.start = (this.start + 1) % this.capacity
    }
  }

  /** Events oldest first. */
  toArray(): ClusterEvent[] {
    return this.buf.slice(this.start).concat(this.buf.slice(0, this.start))
  }

  clear(): void {
    this.buf = []
    this.start = 0
  }
}
