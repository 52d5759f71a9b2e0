/**
 * An adaptive batching window (Cassandra's group commit-log window, Postgres' `commit_delay`): how
 * long the next batch (a WAL group commit, a per-peer replicate message) waits to gather more items.
 * Zero while the recent arrival rate is too low for a wait to gather another item; under load it
 * opens up to `windowMsMax`. Like Postgres' `commit_siblings`, a wait that gathered nothing closes the
 * window for a while (doubling up to COOL_OFF_MS_MAX), so a client with one op at a time does not pay
 * the window on every op. Time comes only from the injected clock.
 */
import type { Clock } from '../env'

/** Time constant of the decayed arrival count (ms): the rate reflects the last ~100 ms. */
const RATE_TAU_MS = 100
/**
 * The window opens only when it would gather at least this many more items at the current rate (1:
 * at 16 nodes and 5k ops/s a node writes ~0.47 rows per ms, so a 4 ms window gathers ~2; with 2 the
 * window stayed shut there).
 */
const ITEMS_TO_OPEN = 1
/** Items a window aims to gather: at a high rate it need not be as long as the maximum. */
const ITEMS_TARGET = 8
const COOL_OFF_MS_MIN = 20
const COOL_OFF_MS_MAX = 1000

export interface WindowStats {
  /** The window the next batch would wait now (ms). */
  windowMs: number
  /** The recent arrival rate (items per second). */
  ratePerSec: number
  /** Batches that waited, and those whose wait gathered only their first item. */
  waits: number
  wastedWaits: number
}

export class AdaptiveWindow {
  private count = 0
  private lastMs = Number.NEGATIVE_INFINITY
  private closedUntilMs = Number.NEGATIVE_INFINITY
  private coolOffMs = COOL_OFF_MS_MIN
  waits = 0
  wastedWaits = 0

  constructor(
    private readonly clock: Clock,
    /** The bound; 0 turns the window off (every batch leaves at once). Read on each call. */
    private readonly windowMsMax: () => number,
  ) {}

  /** Counts `n` arrivals now. */
  note(n = 1): void {
    const now = this.clock.nowMs()
    this.count = this.decayed(now) + n
    this.lastMs = now
  }

  /** The window the next batch should wait (ms; 0 = leave at once); `queued` items already waiting. */
  windowMs(queued = 0): number {
    const max = this.windowMsMax()
    if (!(max > 0) || queued >= ITEMS_TARGET) return 0
    const now = this.clock.nowMs()
    if (now < this.closedUntilMs) return 0
    const perMs = this.decayed(now) / RATE_TAU_MS
    if (perMs * max < ITEMS_TO_OPEN) return 0
    return Math.min(max, Math.max(1, Math.ceil(ITEMS_TARGET / perMs)))
  }

  /** A batch that waited `waitedMs` left with `items` items: a wait that gathered nothing closes the window for a while. */
  batchDone(waitedMs: number, items: number): void {
    if (waitedMs <= 0) return
    this.waits++
    if (items > 1) {
      this.coolOffMs = COOL_OFF_MS_MIN
      return
    }
    this.wastedWaits++
    this.closedUntilMs = this.clock.nowMs() + this.coolOffMs
    this.coolOffMs = Math.min(this.coolOffMs * 2, COOL_OFF_MS_MAX)
  }

  stats(): WindowStats {
    return {
      windowMs: this.windowMs(),
      ratePerSec: Math.round((this.decayed(this.clock.nowMs()) / RATE_TAU_MS) * 1000),
      waits: this.waits,
      wastedWaits: this.wastedWaits,
    }
  }

  private decayed(now: number): number {
    if (this.count === 0) return 0
    const dt = now - this.lastMs
    return dt <= 0 ? this.count : this.count * Math.exp(-dt / RATE_TAU_MS)
  }
}
