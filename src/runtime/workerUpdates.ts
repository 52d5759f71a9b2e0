/**
 * The worker runtime's update stream on the page: events the page records and the workers report
 * are held (bounded) and sent with every node's snapshot at most once per animation frame.
 */

import type { ClusterUpdate, NodeSnapshot } from '../cluster/types'
import type { ClusterEvent } from '../core/events'

/** Events held for subscribers between two frames. */
const PENDING_EVENTS_MAX = 5000

export class WorkerUpdates {
  private readonly listeners = new Set<(u: ClusterUpdate) => void>()
  private pendingEvents: ClusterEvent[] = []
  private flushScheduled = false

  /** `snapshots`: every node now, as a batch sends it. */
  constructor(private readonly snapshots: () => NodeSnapshot[]) {}

  record(e: ClusterEvent): void {
    if (this.pendingEvents.length < PENDING_EVENTS_MAX) this.pendingEvents.push(e)
  }

  /** Coalesces updates: listeners hear at most once per animation frame. */
  notify(): void {
    if (this.flushScheduled || this.listeners.size === 0) return
    this.flushScheduled = true
    const raf =
      typeof requestAnimationFrame === 'function'
        ? requestAnimationFrame
        : (fn: () => void) => setTimeout(fn, 16)
    raf(() => {
      this.flushScheduled = false
      const update: ClusterUpdate = { nodes: this.snapshots(), events: this.pendingEvents }
      this.pendingEvents = []
      for (const l of this.listeners) l(update)
    })
  }

  subscribe(listener: (u: ClusterUpdate) => void): () => void {
    this.listeners.add(listener)
    this.notify()
    return () => this.listeners.delete(listener)
  }

  /** Drops every subscriber (shutdown). */
  clear(): void {
    this.listeners.clear()
  }
}
