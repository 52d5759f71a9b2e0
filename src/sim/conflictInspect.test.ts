/**
 * What the merging modes show besides the merged read: each replica's own state in a read's replies,
 * and inspect()'s conflict section (actor, epoch, siblings merged past siblingsMax, CRDT states).
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

describe('per-replica states and inspect()', () => {
  it('a CRDT read’s replies carry each replica’s own state; inspect() shows the state held there', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 31,
      consistencyMode: 'crdt',
      crdtConfig: { likes: 'gcounter' },
      antiEntropyIntervalMs: 0,
      readRepair: 'off',
    })
    c.partition([['node_0'], ['node_1', 'node_2']])
    await c.applyCrdt(0, 'likes', { inc: 1 }, { level: 'ONE' })
    await c.applyCrdt(1, 'likes', { inc: 2 }, { level: 'ONE' })
    c.heal()
    const r = await c.read(2, 'likes', { level: 'ALL' })
    expect(r.crdt?.value).toBe(3)
    const byNode = Object.fromEntries(r.replies.map((x) => [x.node, x.crdt]))
    expect(byNode.node_0).toEqual({ value: 1, state: { e: { node_0: 1 } } })
    expect(byNode.node_1?.value).toBe(2)
    await c.settle()
    const insp = (await c.inspect(0)) as unknown as {
      conflict: {
        mode: string
        actor: string
        epoch: number
        crdt: Record<string, { value: unknown; state: unknown }>
      }
    }
    expect(insp.conflict.mode).toBe('crdt')
    expect(insp.conflict.actor).toBe('node_0')
    expect(insp.conflict.epoch).toBe(0)
    expect(insp.conflict.crdt.likes.value).toBeGreaterThanOrEqual(1)
  })

  it("vector: replies count each replica's siblings; siblings merged past siblingsMax show in inspect() and as an event", async () => {
    const events: string[] = []
    const c = await createSimCluster({ numNodes: 3, seed: 32, consistencyMode: 'vector', siblingsMax: 2 })
    const off = c.subscribe((u) => {
      for (const e of u.events) if (e.type === 'siblings-merged') events.push(e.detail ?? '')
    })
    for (const v of ['a', 'b', 'c']) await c.put(0, 'k', v, { level: 'ALL' })
    const r = await c.read(1, 'k', { level: 'ALL' })
    expect(r.siblings.map((s) => s.value).sort()).toEqual(['b', 'c'])
    expect(r.replies.map((x) => x.siblings)).toEqual([2, 2, 2])
    await c.settle()
    const insp = (await c.inspect(0)) as unknown as {
      conflict: { siblingsMerged: number; siblingKeys: string[] }
    }
    expect(insp.conflict.siblingsMerged).toBeGreaterThanOrEqual(1)
    expect(insp.conflict.siblingKeys).toEqual(['k'])
    expect(events.length).toBeGreaterThanOrEqual(1)
    off()
  })
})
