import { describe, expect, it } from 'vitest'
import { percentile } from './stats'

describe('percentile', () => {
  it('uses nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(v, 50)).toBe(50)
    expect(percentile(v, 99)).toBe(99)
    expect(percentile(v, 100)).toBe(100)
  })
  it('is 0 for no values', () => {
    expect(percentile([], 50)).toBe(0)
  })
})
