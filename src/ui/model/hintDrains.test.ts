import { describe, expect, it } from 'vitest'
import type { ClusterEvent } from '../../core/events'
import { drainText, foldHintDelivers } from './hintDrains'

const deliver = (t: number, n: number, node = 'node_0', peer = 'node_2') =>
  ({ t, type: 'hint-deliver', node, peer, detail: `${n} hints` }) as ClusterEvent

describe('hint drains', () => {
  it('batches close together are one drain with its duration', () => {
    const d = foldHintDelivers([], [deliver(1000, 5), deliver(1200, 4), deliver(1300, 2)])
    expect(d).toHaveLength(1)
    expect(drainText(d[0])).toBe('node_0 delivered 11 hints to node_2 in 0.3 s (3 batches)')
  })

  it('a later drain, another pair, a single batch; other events change nothing', () => {
    const d1 = foldHintDelivers([], [deliver(1000, 3)])
    const apply = { t: 1100, type: 'apply', node: 'node_0' } as ClusterEvent
    expect(foldHintDelivers(d1, [apply])).toBe(d1)
    const d2 = foldHintDelivers(d1, [deliver(9000, 1), deliver(9000, 2, 'node_4', 'node_2')])
    expect(d2.map(drainText)).toEqual([
      'node_0 delivered 3 hints to node_2 in one batch',
      'node_0 delivered 1 hint to node_2 in one batch',
      'node_4 delivered 2 hints to node_2 in one batch',
    ])
  })
})
