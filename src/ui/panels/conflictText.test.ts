import { describe, expect, it } from 'vitest'
import type { ResolvedClusterOptions } from '../../cluster/types'
import { encodeContext } from '../../core/conflict/dvv'
import { contextVector, counterEntriesText, mergesKey, vectorText } from './conflictText'

describe('console text for merging keys', () => {
  it('shortens node ids in vectors and keeps epochs', () => {
    expect(vectorText({ node_0: 2, 'node_1.k3x9': 1 })).toBe('{n0:2, n1.k3x9:1}')
    expect(vectorText(undefined)).toBe('{}')
  })
  it('reads the vector back out of a context a read returned', () => {
    expect(contextVector(encodeContext('cart', { node_0: 2, node_1: 1 }))).toEqual({ node_0: 2, node_1: 1 })
    expect(contextVector(encodeContext('cart', {}))).toEqual({})
    expect(contextVector('garbage')).toBeNull()
  })
  it('knows which keys merge in each mode', () => {
    const o = (consistencyMode: string, crdtConfig = {}) =>
      ({ consistencyMode, crdtConfig }) as unknown as ResolvedClusterOptions
    expect(mergesKey(o('lww'), 'k')).toBe(false)
    expect(mergesKey(o('vector'), 'k')).toBe(true)
    expect(mergesKey(o('crdt', { likes: 'gcounter' }), 'likes')).toBe(true)
    expect(mergesKey(o('crdt', { likes: 'gcounter' }), 'k')).toBe(false)
  })
  it('lists a counter’s per-node entries', () => {
    expect(counterEntriesText('gcounter', { e: { node_0: 1, node_1: 2 } })).toBe('n0 +1, n1 +2')
    expect(counterEntriesText('pncounter', { p: { node_0: 3 }, n: { node_1: 1 } })).toBe('n0 +3, n1 −1')
    expect(counterEntriesText('orset', {})).toBeNull()
  })
})
