import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

describe('cluster.flush / cluster.compact (the storage panel buttons)', () => {
  it('flush turns the memtable into a level-0 table; compact merges the tables into one level', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 5 })
    try {
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 10; i++) await c.put(0, `k${round}-${i}`, `v${i}`)
        const f = await c.flush('node_1')
        expect(f.action).toBe('flush')
        expect(f.memtableEntriesBefore).toBeGreaterThan(0)
        expect(f.memtableEntriesAfter).toBe(0)
        expect(f.tablesAfter[0]).toBe((f.tablesBefore[0] ?? 0) + 1)
      }
      const x = await c.compact('node_1')
      expect(x.tablesBefore.reduce((a, b) => a + b, 0)).toBe(3)
      expect(x.tablesAfter[0]).toBe(0)
      expect(x.tablesAfter.reduce((a, b) => a + b, 0)).toBe(1)
      expect(await c.get('node_1', 'k0-3', { level: 'ONE' })).toBe('v3')
      // Nothing to do is not an error: an empty memtable flushes nothing.
      const again = await c.flush('node_1')
      expect(again.tablesAfter).toEqual(again.tablesBefore)
      await c.kill('node_2')
      await expect(c.flush('node_2')).rejects.toMatchObject({ code: 'NODE_DOWN' })
    } finally {
      await c.shutdown()
    }
  })
})
