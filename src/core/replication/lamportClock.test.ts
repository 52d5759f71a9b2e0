import { describe, expect, it } from 'vitest'
import { LamportClock } from './lamportClock'

describe('LamportClock', () => {
  it('ticks on local writes and jumps past received timestamps', () => {
    const c = new LamportClock(0, 'lamport', () => 0)
    expect(c.tick()).toBe(1)
    c.receive(10)
    expect(c.time).toBe(11)
    expect(c.tick()).toBe(12)
    c.receive(3)
    expect(c.time).toBe(13)
  })

  it('in wallclock mode stamps writes with the (skewed) wall clock', () => {
    let now = 1000
    const c = new LamportClock(0, 'wallclock', () => now)
    expect(c.tick()).toBe(1000)
    now = 900 // clock went back (skew)
    expect(c.tick()).toBe(900)
  })
})
