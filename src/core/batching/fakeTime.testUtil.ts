/** A manual clock and timers for tests of code that takes an injected Clock and Timers. */
import type { Clock, TimerHandle, Timers } from '../env'

export interface FakeTime {
  clock: Clock
  timers: Timers
  nowMs: number
  /** Moves time forward, running due timers in order (and the microtasks they start). */
  advance(ms: number): Promise<void>
  pending(): number
}

export function fakeTime(): FakeTime {
  let seq = 0
  const due = new Map<TimerHandle, { atMs: number; fn: () => void }>()
  const t: FakeTime = {
    nowMs: 0,
    clock: { nowMs: () => t.nowMs },
    timers: {
      set(delayMs, fn) {
        due.set(++seq, { atMs: t.nowMs + delayMs, fn })
        return seq
      },
      clear(h) {
        due.delete(h)
      },
    },
    async advance(ms) {
      const end = t.nowMs + ms
      for (;;) {
        let next: [TimerHandle, { atMs: number; fn: () => void }] | undefined
        for (const e of due) if (e[1].atMs <= end && (!next || e[1].atMs < next[1].atMs)) next = e
        if (!next) break
        due.delete(next[0])
        t.nowMs = Math.max(t.nowMs, next[1].atMs)
        next[1].fn()
        await settle()
      }
      t.nowMs = end
      await settle()
    },
    pending: () => due.size,
  }
  return t
}

/** Lets pending promise chains run. */
export async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await null
}
