import { describe, expect, it } from 'vitest'
import { emptyFaults } from '../core/faults/linkRules'
import { type NodeId, nodeId } from '../core/ids'
import { checkSkew, healed, withLink, withoutMember, withPartition } from './faultRules'

const members: NodeId[] = [nodeId(0), nodeId(1), nodeId(2)]

describe('fault rules', () => {
  it('partition, link rules and heal', () => {
    let f = withPartition(emptyFaults(), [[0], ['node_1', 2]], members)
    expect(f.groups).toEqual([['node_0'], ['node_1', 'node_2']])
    f = withLink(f, 0, 1, { latencyMs: 20, lossRate: 0.5 }, members)
    expect(f.links['node_0>node_1']).toEqual({ latencyMs: 20, lossRate: 0.5 })
    expect(withoutMember(f, nodeId(1))).toMatchObject({ groups: [['node_0'], ['node_2']], links: {} })
    expect(healed(f)).toMatchObject({ groups: [], links: {} })
  })

  it.each([
    [{ lossRate: 2 }, /lossRate must be between 0 and 1/],
    [{ duplicateRate: -0.1 }, /duplicateRate must be between 0 and 1/],
    [{ latencyMs: -5 }, /latencyMs must be a number ≥ 0/],
    [{ jitterMs: Number.NaN }, /jitterMs must be a number ≥ 0/],
    [{ cut: 'yes' }, /cut must be true or false/],
  ])('rejects the bad rule %j with BAD_INPUT', (rule, message) => {
    expect(() => withLink(emptyFaults(), 0, 1, rule as never, members)).toThrow(message)
  })

  it('rejects unknown nodes, self-links, malformed groups and non-finite skew', () => {
    expect(() => withLink(emptyFaults(), 0, 9, {}, members)).toThrow(/UNKNOWN_NODE/)
    expect(() => withLink(emptyFaults(), 1, 1, {}, members)).toThrow(/two different nodes/)
    expect(() => withPartition(emptyFaults(), 'a' as never, members)).toThrow(/list of groups/)
    expect(() => checkSkew(Number.POSITIVE_INFINITY)).toThrow(/finite number/)
    expect(checkSkew(-250)).toBe(-250)
  })
})
