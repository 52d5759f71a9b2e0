/** The simulator traces every work message for the space-time diagram (sent time, Lamport clock, ops). */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { ClusterEvent } from '../core/events'

describe('simulator message tracing', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`every delivered work message says when it left and what it carries (seed ${seed})`, async () => {
      const events: ClusterEvent[] = []
      const c = await createSimCluster({ numNodes: 3, seed }, { onEvent: (e) => events.push(e) })
      await c.put(0, 'k', 'v')
      await c.get(1, 'k')
      await c.settle()
      const sends = events.filter((e) => e.type === 'send')
      const delivers = events.filter((e) => e.type === 'deliver')
      expect(delivers.length, `seed ${seed}`).toBeGreaterThan(0)
      expect(delivers.length, `seed ${seed}: one deliver per send`).toBe(sends.length)
      for (const d of delivers) {
        expect(d.sentT, `seed ${seed}`).toBeDefined()
        expect(d.sentT!, `seed ${seed}`).toBeLessThanOrEqual(d.t)
        // A node's boot-time pulls leave before the cluster holds the node (no clock to read yet).
        if (d.msg !== 'fetch-updates') expect(d.lamport, `seed ${seed} ${d.msg}`).toBeTypeOf('number')
      }
      const rep = delivers.find((e) => e.msg === 'replicate')
      expect(rep?.opIds?.[0], `seed ${seed}`).toMatch(/^node_0:\d+$/)
      expect(rep?.keys, `seed ${seed}`).toEqual(['k'])
      expect(rep?.version, `seed ${seed}`).toMatch(/^\d+@node_0$/)
      const ack = delivers.find((e) => e.msg === 'replicate-ack')
      expect(ack?.opIds, `seed ${seed}`).toEqual(rep?.opIds)
      await c.shutdown()
    })
  }

  it('a message to a killed node is a traced drop', async () => {
    const events: ClusterEvent[] = []
    const c = await createSimCluster(
      { numNodes: 3, seed: 7, writeQuorum: 1 },
      { onEvent: (e) => events.push(e) },
    )
    await c.kill('node_2')
    await c.put(0, 'k', 'v')
    await c.settle()
    const drop = events.find((e) => e.type === 'drop' && e.peer === 'node_2' && e.msg === 'replicate')
    expect(drop?.sentT).toBeDefined()
    expect(drop?.keys).toEqual(['k'])
    await c.shutdown()
  })
})
