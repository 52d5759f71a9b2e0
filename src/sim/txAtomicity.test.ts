/** A committed transaction reaches each replica as one unit: one storage write, all rows or none. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { KeyedRecord } from '../core/storage/engine'

describe('commit atomicity per replica', () => {
  it("every replica writes all of a transaction's rows in ONE group commit (one storage transaction)", async () => {
    const c = await createSimCluster({ numNodes: 5, replicationFactor: 3, seed: 5 })
    const keys = ['acct|a', 'acct|b', 'acct|c', 'other|x'] // two partitions: different replica sets
    const writes = new Map<string, Array<string[]>>()
    for (const n of c.nodes) {
      const node = c.liveNode(n.id)
      const engine = node.engine
      const original = engine.write.bind(engine)
      writes.set(n.id, [])
      engine.write = (batch: readonly KeyedRecord[], extra) => {
        const mine = batch.map((r) => r.key).filter((k) => keys.includes(k))
        if (mine.length) writes.get(n.id)?.push(mine.sort())
        return original(batch, extra)
      }
    }
    const tx = await c.beginTransaction(0)
    for (const k of keys) await c.put(0, k, `v-${k}`, { txId: tx })
    await c.commitTransaction(tx)
    await c.settle()
    const owners = (k: string) => c.getPartitionMap().partitions.find((p) => p.id === c.getPartitionId(k))
    let replicas = 0
    for (const [node, calls] of writes) {
      const held = keys.filter((k) => owners(k)?.replicas.includes(node as never))
      if (held.length === 0) {
        expect(calls).toEqual([])
        continue
      }
      replicas++
      expect(calls, node).toEqual([held.sort()])
    }
    expect(replicas).toBeGreaterThanOrEqual(3)
    await c.shutdown()
  })

  it('a replica cut off during the commit gets none of its rows (not some); the commit succeeds at W', async () => {
    const c = await createSimCluster({ numNodes: 3, replicationFactor: 3, seed: 6, antiEntropyIntervalMs: 0 })
    await c.put(0, 'p|a', 'old')
    await c.put(0, 'p|b', 'old')
    const tx = await c.beginTransaction(0)
    await c.put(0, 'p|a', 'new', { txId: tx })
    await c.put(0, 'p|b', 'new', { txId: tx })
    const lockOwner = c.getPartitionMap().partitions.find((p) => p.id === c.getPartitionId('p'))?.replicas[0]
    const cut = ['node_0', 'node_1', 'node_2'].find((n) => n !== lockOwner && n !== 'node_0') as string
    c.partition([[cut]])
    await c.commitTransaction(tx)
    const rows = async (n: string) =>
      new Map((await c.scan(n, { limit: 100 })).rows.map((r) => [r.key, r.value] as const))
    const onCut = await rows(cut)
    expect([onCut.get('p|a'), onCut.get('p|b')]).toEqual(['old', 'old'])
    for (const n of ['node_0', 'node_1', 'node_2'].filter((x) => x !== cut)) {
      const r = await rows(n)
      expect([r.get('p|a'), r.get('p|b')]).toEqual(['new', 'new'])
    }
    await c.shutdown()
  })
})
