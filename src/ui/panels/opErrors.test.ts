import { describe, expect, it } from 'vitest'
import { dbError } from '../../core/errors'
import { humanMessage, opError } from './opErrors'

describe('errors in human words', () => {
  it('a write quorum the cluster cannot reach names the down owners and suggests ONE', () => {
    const e = dbError('QUORUM_NOT_MET', 'write needs 2 of 3 replicas but only 1 are reachable (node_0)', {
      needed: 2,
      answered: [],
      owners: ['node_0', 'node_1', 'node_2'],
    })
    const status = (id: string) => (id === 'node_0' ? 'up' : 'down') as 'up' | 'down'
    const o = opError(e, status)
    expect(o.code).toBe('QUORUM_NOT_MET')
    expect(o.message).toBe(
      'only 1 replica is reachable (the write needs 2 of 3); node_1 and node_2 are down — try level ONE',
    )
    expect(o.raw).toContain('only 1 are reachable')
  })

  it('a read: unreachable owners from the page status; none reachable', () => {
    const status = (id: string) => (id === 'node_2' ? 'suspect' : 'up') as 'up' | 'suspect'
    expect(
      humanMessage(
        'QUORUM_NOT_MET',
        'read needs 2 of 2 replicas but only 0 are reachable',
        { owners: ['node_1', 'node_2'] },
        status,
      ),
    ).toBe(
      'only 0 replicas are reachable (the read needs 2 of 2); node_2 is unreachable — no replica of this key can be reached',
    )
  })

  it('W or R above N', () => {
    expect(humanMessage('BAD_CONFIG', 'writeQuorum 3 > replicationFactor 2', undefined)).toMatch(
      /^W can't exceed N \(2\)/,
    )
    expect(humanMessage('BAD_CONFIG', 'readQuorum 4 > replicationFactor 3', undefined)).toMatch(
      /^R can't exceed N \(3\)/,
    )
    expect(humanMessage('BAD_INPUT', 'key must be a string', undefined)).toBe('key must be a string')
  })
})
