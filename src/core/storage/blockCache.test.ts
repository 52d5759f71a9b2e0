import { describe, expect, it } from 'vitest'
import { BlockCache } from './blockCache'

describe('BlockCache', () => {
  it('evicts the least recently used blocks to stay within its byte budget', () => {
    const cache = new BlockCache<string>(100)
    cache.set(1, 'a', 40)
    cache.set(2, 'b', 40)
    expect(cache.get(1)).toBe('a')
    cache.set(3, 'c', 40)
    expect(cache.get(2)).toBeUndefined()
    expect(cache.get(1)).toBe('a')
    expect(cache.get(3)).toBe('c')
    expect(cache.bytes).toBe(80)
    expect(cache.hits).toBe(3)
    expect(cache.misses).toBe(1)
    cache.set(4, 'huge', 500)
    expect(cache.get(4)).toBeUndefined()
    cache.deleteWhere((k) => k === 1)
    expect(cache.bytes).toBe(40)
  })
})
