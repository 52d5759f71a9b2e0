import { describe, expect, it } from 'vitest'
import { storedNodeDbNames } from './storageReset'

describe('stored node databases', () => {
  it('matches only <prefix>-node_<i>, with the prefix taken literally', () => {
    const names = [
      'distdb-node_0',
      'distdb-node_12',
      'distdb-node_x',
      'other-node_1',
      'distdb.x-node_1',
      'distdbXnode_1',
    ]
    expect(storedNodeDbNames(names, 'distdb')).toEqual(['distdb-node_0', 'distdb-node_12'])
    expect(storedNodeDbNames(names, 'distdb.x')).toEqual(['distdb.x-node_1'])
  })
})
