import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

describe('SimCluster basics', () => {
  it('a put on node 0 is readable on node 2', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 1 })
    await c.put(0, 'k', 'v')
    expect(await c.get(2, 'k')).toBe('v')
    await c.settle()
    for (let i = 0; i < 3; i++) expect(await c.get(i, 'k', { level: 'ONE' })).toBe('v')
    await c.shutdown()
  })
})
