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
    [{ latencyMs: -5 }, /latencyMs must be a number of ms between 0 and 86400000 \(one day\), got -5/],
    [{ jitterMs: Number.NaN }, /jitterMs must be a number of ms between 0 and 86400000/],
    // setTimeout fires a delay ≥ 2^31 ms at once: the worker runtime would deliver such a message now
    [
      { latencyMs: 2 ** 31 },
      /latencyMs must be a number of ms between 0 and 86400000 \(one day\), got 2147483648/,
    ],
    [{ jitterMs: 86_400_001 }, /jitterMs must be a number of ms between 0 and 86400000/],
    [{ latencyMs: '50' }, /latencyMs must be .*, got "50"/],
    [{ cut: 'yes' }, /cut must be true or false, got "yes"/],
    [{ latency: 50 }, /link rule: unknown field "latency" \(did you mean "latencyMs"\?\)/],
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
