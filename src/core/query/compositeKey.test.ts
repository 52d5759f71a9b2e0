import { describe, expect, it } from 'vitest'
import { partitionKeyOf } from '../ring/tokens'
import { clusteringSpan, composeKey, splitKey } from './compositeKey'

describe('composite keys', () => {
  it('composes pk|ck and splits it back; only the pk is the partition key', () => {
    expect(composeKey('user1', '001')).toBe('user1|001')
    expect(composeKey('user1')).toBe('user1')
    expect(splitKey('user1|001|x')).toEqual({ partitionKey: 'user1', clusteringKey: '001|x' })
    expect(splitKey('plain')).toEqual({ partitionKey: 'plain', clusteringKey: null })
    expect(partitionKeyOf(composeKey('user1', '002'))).toBe('user1')
  })

  it('refuses a partition key with a separator or empty, and start > end', () => {
    expect(() => composeKey('a|b', 'c')).toThrow(/BAD_INPUT/)
    expect(() => composeKey('', 'c')).toThrow(/BAD_INPUT/)
    expect(() => clusteringSpan('p', 'c', 'a')).toThrow(/BAD_INPUT: getRange start "c" is after end "a"/)
  })

  it('spans inclusive bounds: pk|end is inside, pk|end + anything is outside', () => {
    const { start, end } = clusteringSpan('p', 'a', 'c')
    const inside = (k: string): boolean => k >= start && k < end
    expect(['p|a', 'p|b', 'p|c'].every(inside)).toBe(true)
    expect(['p|ca', 'p|`', 'q|b', 'p'].some(inside)).toBe(false)
  })
})
