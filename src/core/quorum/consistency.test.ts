import { describe, expect, it } from 'vitest'
import { isDbError } from '../errors'
import { CONSISTENCY_LEVELS, isConsistencyLevel, levelToQuorum, majority } from './consistency'

describe('majority', () => {
  it('is floor(N/2)+1', () => {
    expect([1, 2, 3, 4, 5, 6].map(majority)).toEqual([1, 2, 2, 3, 3, 4])
  })
})

describe('isConsistencyLevel', () => {
  it('accepts exactly the listed levels', () => {
    for (const level of CONSISTENCY_LEVELS) expect(isConsistencyLevel(level)).toBe(true)
    expect(isConsistencyLevel('quorum')).toBe(false)
    expect(isConsistencyLevel(3)).toBe(false)
  })
})

describe('levelToQuorum', () => {
  it.each([
    ['ANY', 3, 1, 1],
    ['ONE', 3, 1, 1],
    ['TWO', 3, 2, 2],
    ['THREE', 3, 3, 3],
    ['QUORUM', 3, 2, 2],
    ['QUORUM', 4, 3, 3],
    ['ALL', 5, 5, 5],
  ] as const)('%s with RF=%i needs w=%i r=%i', (level, rf, w, r) => {
    expect(levelToQuorum(level, rf)).toEqual({ w, r })
  })

  it.each([
    ['TWO', 1],
    ['THREE', 2],
  ] as const)('%s with RF=%i is BAD_CONFIG', (level, rf) => {
    try {
      levelToQuorum(level, rf)
      expect.unreachable()
    } catch (e) {
      expect(isDbError(e) && e.code).toBe('BAD_CONFIG')
    }
  })
})
