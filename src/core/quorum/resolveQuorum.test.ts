import { describe, expect, it } from 'vitest'
import { type DbError, isDbError } from '../errors'
import { quorumsOverlap, resolveQuorum } from './resolveQuorum'

function errorOf(fn: () => unknown): DbError {
  try {
    fn()
  } catch (e) {
    if (isDbError(e)) return e as DbError
    throw e
  }
  throw new Error('expected a coded error')
}

describe('resolveQuorum', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
  ])('defaults W = R = floor(N/2)+1 (N=%i → %i)', (n, q) => {
    expect(resolveQuorum({ replicationFactor: n })).toEqual({ n, w: q, r: q })
  })

  it('keeps explicit W and R', () => {
    expect(resolveQuorum({ replicationFactor: 3, writeQuorum: 1, readQuorum: 3 })).toEqual({
      n: 3,
      w: 1,
      r: 3,
    })
    expect(resolveQuorum({ replicationFactor: 3, writeQuorum: 3 })).toEqual({ n: 3, w: 3, r: 2 })
  })

  it('lets a consistency level decide W and R', () => {
    expect(resolveQuorum({ replicationFactor: 5, consistency: 'ALL' })).toEqual({ n: 5, w: 5, r: 5 })
    expect(resolveQuorum({ replicationFactor: 5, writeQuorum: 1, consistency: 'QUORUM' })).toEqual({
      n: 5,
      w: 3,
      r: 3,
    })
  })

  it.each([
    [{ replicationFactor: 3, writeQuorum: 4 }, 'writeQuorum 4 > replicationFactor 3'],
    [{ replicationFactor: 3, readQuorum: 0 }, 'readQuorum 0 < 1'],
    [{ replicationFactor: 3, readQuorum: 1.5 }, 'readQuorum must be an integer, got 1.5'],
    [{ replicationFactor: 0 }, 'replicationFactor must be an integer >= 1, got 0'],
    [{ replicationFactor: 2.5 }, 'replicationFactor must be an integer >= 1, got 2.5'],
    [{ replicationFactor: 2, consistency: 'THREE' as const }, 'consistency THREE needs 3 replicas'],
    [
      { replicationFactor: 2, writeQuorum: 9, consistency: 'ONE' as const },
      'writeQuorum 9 > replicationFactor 2',
    ],
  ])('rejects %j with BAD_CONFIG "%s"', (options, message) => {
    const e = errorOf(() => resolveQuorum(options))
    expect(e.code).toBe('BAD_CONFIG')
    expect(e.message).toContain(message)
  })

  it('rejects an unknown consistency level from untrusted input', () => {
    const bogus = { replicationFactor: 3, consistency: 'MOST' } as unknown as Parameters<
      typeof resolveQuorum
    >[0]
    expect(errorOf(() => resolveQuorum(bogus)).code).toBe('BAD_CONFIG')
  })
})

describe('quorumsOverlap', () => {
  it('is R + W > N', () => {
    expect(quorumsOverlap({ n: 3, w: 2, r: 2 })).toBe(true)
    expect(quorumsOverlap({ n: 3, w: 1, r: 2 })).toBe(false)
  })
})
