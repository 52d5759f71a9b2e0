/**
 * What a node gets from its host. The core never reads the real clock, never calls setTimeout and
 * never touches IndexedDB or postMessage: the worker host and the simulator each supply these.
 */
import type { Disk } from './disk/disk'
import type { ClusterEvent } from './events'
import type { NodeId } from './ids'
import type { Random } from './random'

export interface Clock {
  /** Milliseconds on this node's clock (virtual in the simulator; may be skewed by a fault). */
  nowMs(): number
}

export type TimerHandle = number

export interface Timers {
  /** Calls `fn` once after `delayMs` on this node's timeline. */
  set(delayMs: number, fn: () => void): TimerHandle
  clear(handle: TimerHandle): void
}

/** Sends a node-to-node message; delivery is best effort (faults may drop, delay or duplicate it). */
export interface Transport<M> {
  send(to: NodeId, msg: M): void
}

export interface NodeEnv<M> {
  id: NodeId
  clock: Clock
  timers: Timers
  random: Random
  disk: Disk
  transport: Transport<M>
  /** Reports an observable event (the host stamps nothing: the node fills t and node). */
  emit(e: ClusterEvent): void
  /**
   * Optional: false when the host would drop an event of this type right now (it samples busy
   * nodes' events and counts the drop). Hot paths ask first and build no event object then.
   */
  accepts?(type: ClusterEvent['type']): boolean
}
