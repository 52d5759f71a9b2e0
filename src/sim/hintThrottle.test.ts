import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { resolveOptions } from '../cluster/options'

describe('hintReplayBytesPerSec (the page replays hints slowly enough to watch)', () => {
  it("is validated, and a small budget delivers a stand-in's hints in several batches", async () => {
    expect(() => resolveOptions({ numNodes: 3, hintReplayBytesPerSec: 0 })).toThrow(/BAD_CONFIG/)
    const batches = async (hintReplayBytesPerSec?: number) => {
      const c = await createSimCluster({ numNodes: 5, replicationFactor: 3, seed: 11, hintReplayBytesPerSec })
      try {
        await c.kill('node_2')
        await c.runFor(3000)
        for (let i = 0; i < 60; i++) await c.put('node_0', `k${i}`, 'x'.repeat(100)).catch(() => {})
        await c.restart('node_2')
        await c.runFor(15_000)
        const held = await Promise.all(
          c.nodes.map(async (n) => (await c.inspect(n.id)).snapshot?.hintsHeld ?? 0),
        )
        expect(held.reduce((a, b) => a + b, 0)).toBe(0)
        const byHolder = new Map<string, number>()
        for (const e of c.events.toArray())
          if (e.type === 'hint-deliver') byHolder.set(e.node, (byHolder.get(e.node) ?? 0) + 1)
        expect(byHolder.size).toBeGreaterThan(0)
        return Math.max(...byHolder.values())
      } finally {
        await c.shutdown()
      }
    }
    expect(await batches()).toBe(1)
    expect(await batches(1024)).toBeGreaterThan(3)
  })
})
