import { describe, expect, it } from 'vitest'
import { AdaptiveWindow } from './adaptiveWindow'
import { fakeTime } from './fakeTime.testUtil'

describe('AdaptiveWindow', () => {
  it('stays closed at a low rate, opens under load (bounded), and closes again when idle', () => {
    const t = fakeTime()
    const w = new AdaptiveWindow(t.clock, () => 4)
    // 50 items/s: a 4 ms wait would gather 0.2 more items.
    for (let i = 0; i < 20; i++) {
      t.nowMs += 20
      w.note()
    }
    expect(w.windowMs()).toBe(0)
    // 2,000 items/s: 8 items take 4 ms.
    for (let i = 0; i < 400; i++) {
      t.nowMs += 0.5
      w.note()
    }
    expect(w.windowMs()).toBe(4)
    // 20,000 items/s: the window shrinks to what gathers 8 items.
    for (let i = 0; i < 4000; i++) {
      t.nowMs += 0.05
      w.note()
    }
    expect(w.windowMs()).toBe(1)
    expect(w.stats().ratePerSec).toBeGreaterThan(15_000)
    t.nowMs += 1000
    expect(w.windowMs()).toBe(0)
  })

  it('never opens when the bound is 0, or when enough items already wait', () => {
    const t = fakeTime()
    let max = 0
    const w = new AdaptiveWindow(t.clock, () => max)
    for (let i = 0; i < 400; i++) {
      t.nowMs += 0.5
      w.note()
    }
    expect(w.windowMs()).toBe(0)
    max = 4
    expect(w.windowMs()).toBe(4)
    expect(w.windowMs(8)).toBe(0)
  })

  it('a wait that gathered only its own item closes the window, for longer each time', () => {
    const t = fakeTime()
    const w = new AdaptiveWindow(t.clock, () => 4)
    const load = (): void => {
      for (let i = 0; i < 100; i++) {
        t.nowMs += 0.5
        w.note()
      }
    }
    load()
    expect(w.windowMs()).toBe(4)
    w.batchDone(4, 1)
    expect(w.windowMs()).toBe(0)
    t.nowMs += 20
    load()
    expect(w.windowMs()).toBe(4)
    w.batchDone(4, 1)
    t.nowMs += 30 // the second cool-off is 40 ms
    expect(w.windowMs()).toBe(0)
    t.nowMs += 10
    expect(w.windowMs()).toBe(4)
    w.batchDone(4, 6) // a useful wait resets the cool-off
    w.batchDone(4, 1)
    t.nowMs += 20
    expect(w.windowMs()).toBe(4)
    expect(w.stats()).toMatchObject({ waits: 4, wastedWaits: 3 })
  })
})
