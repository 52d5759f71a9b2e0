/**
 * Where a simulated cluster's events go: the bounded event buffer, the unbuffered hooks and taps
 * (tests, the scenario engine's trace hash), and the batches sent to subscribers (node snapshots
 * plus the events since the last batch).
 */

import type { ClusterUpdate, NodeSnapshot } from '../cluster/types'
import { type ClusterEvent, EventBuffer } from '../core/events'

/** Events held for subscribers between two flushes. */
const PENDING_EVENTS_MAX = 5000

export class SimUpdates {
  readonly events = new EventBuffer(5000)
  private readonly listeners = new Set<(u: ClusterUpdate) => void>()
  /** Listeners to every event, unbuffered (the scenario engine's trace hash). */
  private readonly taps = new Set<(e: ClusterEvent) => void>()
  private pendingEvents: ClusterEvent[] = []

  /** `onEvent`: every event, unbuffered (the cluster's hook); `snapshots`: every node now. */
  constructor(
    private readonly onEvent: ((e: ClusterEvent) => void) | undefined,
    private readonly snapshots: () => NodeSnapshot[],
  ) {}

  record(e: ClusterEvent): void {
    this.events.push(e)
    this.onEvent?.(e)
    for (const tap of this.taps) tap(e)
    if (this.listeners.size > 0 && this.pendingEvents.length < PENDING_EVENTS_MAX) this.pendingEvents.push(e)
  }

  /** Calls `fn` with every event from now on; returns the unsubscribe. */
  tap(fn: (e: ClusterEvent) => void): () => void {
    this.taps.add(fn)
    return () => this.taps.delete(fn)
  }

  subscribe(listener: (u: ClusterUpdate) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Sends one batch (node snapshots + events since the last batch) to subscribers. */
  flush(): void {
    if (this.listeners.size === 0) return
    const update: ClusterUpdate = { nodes: this.snapshots(), events: this.pendingEvents }
    this.pendingEvents = []
    for (const l of this.listeners) l(update)
  }

  /** Drops every subscriber (shutdown). */
  clear(): void {
    this.listeners.clear()
  }
}
