import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LatestEvery } from './latestEvery'

describe('LatestEvery (throttled store writes of running counts)', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('writes the first value at once, then only the newest one per interval', () => {
    const written: number[] = []
    const t = new LatestEvery<number>(
      (v) => written.push(v),
      () => 1000,
      () => Date.now(),
    )
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
    const written: number[] = []
    const t = new LatestEvery<number>(
      (v) => written.push(v),
      () => 0,
      () => Date.now(),
    )
    for (let i = 0; i < 5; i++) t.push(i)
    expect(written).toEqual([0, 1, 2, 3, 4])
  })

  it('flush writes the waiting value at once (the final check reads the newest verdict)', () => {
    const written: number[] = []
    const t = new LatestEvery<number>(
      (v) => written.push(v),
      () => 1000,
      () => Date.now(),
    )
    t.push(1)
    t.push(2)
    t.flush()
    expect(written).toEqual([1, 2])
    t.flush()
    vi.advanceTimersByTime(5000)
    expect(written).toEqual([1, 2])
  })

  it('cancel drops the waiting value', () => {
    const written: number[] = []
    const t = new LatestEvery<number>(
      (v) => written.push(v),
      () => 1000,
      () => Date.now(),
    )
    t.push(1)
    t.push(2)
    t.cancel()
    vi.advanceTimersByTime(5000)
    expect(written).toEqual([1])
  })
})
