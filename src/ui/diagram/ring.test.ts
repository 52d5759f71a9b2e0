import { describe, expect, it } from 'vitest'
import { Ring } from './ring'

describe('Ring', () => {
  it('keeps the newest `capacity` items, oldest first', () => {
    const r = new Ring<number>(3)
    for (let i = 1; i <= 5; i++) r.push(i)
    expect(r.size).toBe(3)
    expect(r.total).toBe(5)
    expect(r.toArray()).toEqual([3, 4, 5])
    expect(r.at(0)).toBe(3)
    expect(r.at(2)).toBe(5)
    expect(r.at(3)).toBeUndefined()
  })

  it('walks newest first and stops when asked', () => {
    const r = new Ring<number>(4)
    for (let i = 1; i <= 6; i++) r.push(i)
    const seen: number[] = []
    r.eachNewestFirst((x) => {
      seen.push(x)
      return x > 4
    })
    expect(seen).toEqual([6, 5, 4])
  })

  it('never holds more than its capacity (bounded memory)', () => {
    const r = new Ring<{ n: number }>(100)
    for (let i = 0; i < 10_000; i++) r.push({ n: i })
    expect(r.size).toBe(100)
    expect(r.toArray()[0].n).toBe(9900)
  })

  it('clears', () => {
    const r = new Ring<number>(2)
    r.push(1)
    r.clear()
    expect(r.size).toBe(0)
    expect(r.toArray()).toEqual([])
  })

  it('refuses a capacity below one', () => {
    expect(() => new Ring(0)).toThrow()
  })
})
