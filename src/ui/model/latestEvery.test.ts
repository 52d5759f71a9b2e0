import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LatestEvery } from './latestEvery'

/** A LatestEvery on the fake clock with interval `everyMs`, and what it wrote. */
function throttle(everyMs: number) {
  const written: number[] = []
  const t = new LatestEvery<number>(
    (v) => written.push(v),
    () => everyMs,
    () => Date.now(),
  )
  return { t, written }
}

describe('LatestEvery (throttled store writes of running counts)', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('writes the first value at once, then only the newest one per interval', () => {
    const { t, written } = throttle(1000)
    t.push(1)
    expect(written).toEqual([1])
    t.push(2)
    t.push(3)
    vi.advanceTimersByTime(999)
    expect(written).toEqual([1])
    vi.advanceTimersByTime(1)
    expect(written).toEqual([1, 3])
    // 10 pushes a second for 3 s: about 3 writes, the last value among them
    for (let i = 0; i < 30; i++) {
      t.push(100 + i)
      vi.advanceTimersByTime(100)
    }
    vi.advanceTimersByTime(1000)
    expect(written.length).toBeLessThanOrEqual(6)
    expect(written.at(-1)).toBe(129)
  })

  it('with interval 0 every value is written at once (small clusters keep their rate)', () => {
    const { t, written } = throttle(0)
    for (let i = 0; i < 5; i++) t.push(i)
    expect(written).toEqual([0, 1, 2, 3, 4])
  })

  it('flush writes the waiting value at once (the final check reads the newest verdict); cancel drops it', () => {
    const a = throttle(1000)
    a.t.push(1)
    a.t.push(2)
    a.t.flush()
    expect(a.written).toEqual([1, 2])
    a.t.flush()
    const b = throttle(1000)
    b.t.push(1)
    b.t.push(2)
    b.t.cancel()
    vi.advanceTimersByTime(5000)
    expect(a.written).toEqual([1, 2])
    expect(b.written).toEqual([1])
  })
})
