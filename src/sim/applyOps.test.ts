import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { type NodeId, opId } from '../core/ids'
import { applyBatch } from '../core/node/applyOps'
import type { Op } from '../core/replication/version'

const op = (origin: NodeId, seq: number, key: string, value: string, ts: number): Op => ({
  id: opId(origin, seq),
  origin,
  seq,
  key,
  value,
  tombstone: false,
  version: { ts, node: origin },
  writtenAtMs: 0,
})

describe('applying a batch of ops on a replica', () => {
  it('applies each op once: a second copy in the same batch or a later batch is a duplicate', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 1, antiEntropyIntervalMs: 0 })
    const node = c.liveNode(1)
    const from = 'node_0' as NodeId
    const a = op(from, 1, 'a', 'a1', 10)
    const b = op(from, 2, 'b', 'b1', 11)
    const before = { ...node.stats }
    const first = applyBatch(node, [a, b, a], from)
    await c.runFor(50)
    expect(await first).toEqual(['applied', 'applied', 'duplicate'])
    const again = applyBatch(node, [b], from)
    await c.runFor(50)
    expect(await again).toEqual(['duplicate'])
    expect(node.stats.applied - before.applied).toBe(2)
    expect(node.stats.duplicates - before.duplicates).toBe(2)
    expect((await node.localRow('a'))?.value).toBe('a1')
    await c.shutdown()
  })

  it('keeps the LWW winner when one batch holds two versions of a key, whatever their order', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 2, antiEntropyIntervalMs: 0 })
    const node = c.liveNode(2)
    const from = 'node_0' as NodeId
    const newer = op(from, 1, 'k', 'new', 20)
    const older = op('node_1' as NodeId, 1, 'k', 'old', 5)
    const res = applyBatch(node, [newer, older], from)
    await c.runFor(50)
    expect(await res).toEqual(['applied', 'discarded'])
    expect((await node.localRow('k'))?.value).toBe('new')
    await c.shutdown()
  })
})
