/**
 * The deterministic simulator's clock and scheduler: virtual time, an event queue, and a drain of
 * pending promise callbacks after every event so async node code runs to completion before virtual
 * time moves on. The same seed and inputs give the same sequence of events.
 */
import type { StepEvent } from '../cluster/types'
import { EventQueue } from './eventQueue'

/** Lets every queued promise callback run (a macrotask boundary). */
export type Drain = () => Promise<void>

function defaultDrain(): Drain {
  const g = globalThis as { setImmediate?: (fn: () => void) => void }
  if (typeof g.setImmediate === 'function') {
    const si = g.setImmediate
    return () => new Promise<void>((r) => si(r))
  }
  const ch = new MessageChannel()
  const waiting: Array<() => void> = []
  ch.port1.onmessage = () => waiting.shift()?.()
  return () =>
    new Promise<void>((r) => {
      waiting.push(r)
      ch.port2.postMessage(0)
    })
}

export class Simulator {
  nowMs = 0
  steps = 0
  private queue = new EventQueue()
  private readonly drain: Drain

  constructor(drain?: Drain) {
    this.drain = drain ?? defaultDrain()
  }

  /** What the events of the last step were (single-step in the page), from their `what` labels. */
  lastRan: StepEvent[] = []

  /** Runs `fn` after `delayMs` of virtual time; `what` names it for single-step ("deliver put node_0 → node_1"). */
  schedule(delayMs: number, fn: () => void, what?: () => StepEvent): void {
    const at = this.nowMs + Math.max(0, delayMs)
    if (!what) this.queue.push(at, fn)
    else
      this.queue.push(at, () => {
        this.lastRan.push(what())
        fn()
      })
  }

  get pending(): number {
    return this.queue.size
  }

  /** Lets promise callbacks settle without advancing time. */
  settleMicrotasks(): Promise<void> {
    return this.drain()
  }

  /** Runs the events due at the next instant; false when there are none before `limitMs`. */
  async step(limitMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const next = this.queue.peek()
    if (!next || next.atMs > limitMs) return false
    // Every event due at this instant runs before the drain: messages that arrive together are
    // handled together (their writes share group commits), and one drain serves them all.
    this.nowMs = next.atMs
    this.lastRan = []
    while (this.queue.peek()?.atMs === this.nowMs) {
      this.queue.pop()!.run()
      this.steps++
    }
    await this.drain()
    return true
  }

  /**
   * Runs only the next event, even when others are due at the same instant, then lets its promise
   * callbacks settle: the page's single step, so each step shows one event (RaftScope's step).
   */
  async stepOne(): Promise<boolean> {
    const next = this.queue.peek()
    if (!next) return false
    this.nowMs = next.atMs
    this.lastRan = []
    this.queue.pop()!.run()
    this.steps++
    await this.drain()
    return true
  }

  /** Runs events until `done()` holds or virtual time would pass now + maxMs; returns done(). */
  async runUntil(done: () => boolean, maxMs: number): Promise<boolean> {
    const limit = this.nowMs + maxMs
    await this.drain()
    while (!done()) {
      if (!(await this.step(limit))) break
    }
    return done()
  }

  /** Advances virtual time by `ms`, running every event due. */
  async runFor(ms: number): Promise<void> {
    await this.runToMs(this.nowMs + ms)
  }

  /**
   * Advances virtual time to exactly `limitMs` (when later than now), running every event due. A
   * replay moves to a recorded instant with it: now + (t − now) is not always t in floating point.
   */
  async runToMs(limitMs: number): Promise<void> {
    while (await this.step(limitMs)) {}
    this.nowMs = Math.max(this.nowMs, limitMs)
  }
}
