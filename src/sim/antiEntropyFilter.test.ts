import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

describe('cluster.antiEntropy(node, { peer, rangeIndex })', () => {
  it('runs only the chosen exchange; a bad filter is BAD_INPUT or UNKNOWN_NODE', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 2 })
    try {
      const all = await c.antiEntropy('node_0')
      const range = all[3].rangeIndex
      const one = await c.antiEntropy('node_0', { peer: 'node_2', rangeIndex: range })
      expect(one.map((x) => [x.peer, x.rangeIndex])).toEqual([['node_2', range]])
      expect((await c.antiEntropy('node_0', { peer: 'node_1' })).every((x) => x.peer === 'node_1')).toBe(true)
      await expect(c.antiEntropy('node_0', { rangeIndex: -1 })).rejects.toMatchObject({ code: 'BAD_INPUT' })
      await expect(c.antiEntropy('node_0', { peer: 'node_9' })).rejects.toMatchObject({
        code: 'UNKNOWN_NODE',
      })
    } finally {
      await c.shutdown()
    }
  })
})
