import { describe, expect, it } from 'vitest'
import { findDivergence } from './divergence'

describe('findDivergence', () => {
  it('passes identical replicas and treats a tombstone like an absent key', () => {
    expect(
      findDivergence({
        node_0: {
          k: { value: 'a', version: '3@node_1' },
          gone: { value: null, tombstone: true, version: '4' },
        },
        node_1: { k: { value: 'a', version: '3@node_1' } },
      }),
    ).toEqual([])
  })

  it('flags keys whose value or version differ, or that one replica lacks', () => {
    const out = findDivergence({
      node_0: { k: { value: 'a', version: '1' }, v: { value: 'x', version: '1' }, only0: { value: 'z' } },
      node_1: { k: { value: 'b', version: '2' }, v: { value: 'x', version: '2' } },
    })
    expect(out.map((d) => d.key)).toEqual(['k', 'only0', 'v'])
    expect(out[0]).toEqual({
      kind: 'divergence',
      key: 'k',
      states: { node_0: { value: 'a', version: '1' }, node_1: { value: 'b', version: '2' } },
    })
    expect(out[1].states).toEqual({ node_0: { value: 'z' }, node_1: undefined })
  })

  it('compares only the holders of a key when told, and is not fooled by prototype names', () => {
    const replicas = {
      node_0: { constructor: { value: 'a' } },
      node_1: { constructor: { value: 'a' } },
      node_2: {},
    }
    expect(findDivergence(replicas, () => ['node_0', 'node_1'])).toEqual([])
    expect(findDivergence(replicas).map((d) => d.key)).toEqual(['constructor'])
  })
})
