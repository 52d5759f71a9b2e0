import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { NodeId } from '../core/ids'
import { partitionOfKey } from '../core/ring/mapLookup'
import type { SimCluster } from './simCluster'

const SEEDS = [1, 2, 3, 4, 5]

async function rejection(p: Promise<unknown>): Promise<{ code?: string; details?: Record<string, unknown> }> {
  try {
    await p
  } catch (e) {
    return e as { code?: string; details?: Record<string, unknown> }
  }
  throw new Error('expected a rejection')
}

/** A key and a member that does not own it. */
function nonOwnerOf(c: SimCluster, key: string): NodeId {
  const owners = c.getPartitionMap().partitions[c.getPartitionId(key)].replicas
  return c.nodes.map((n) => n.id).find((id) => !owners.includes(id))!
}

describe('owner routing: NOT_OWNER and forwarding', () => {
  it("routing 'owner': a non-owner answers NOT_OWNER with the map version and the owners; an owner coordinates", async () => {
    for (const seed of SEEDS) {
      const c = await createSimCluster({ numNodes: 5, replicationFactor: 3, seed, routing: 'owner' })
      const map = c.getPartitionMap()
      const owners = map.partitions[c.getPartitionId('k')].replicas
      const err = await rejection(c.put(nonOwnerOf(c, 'k'), 'k', 'v'))
      expect(err.code, `seed ${seed}`).toBe('NOT_OWNER')
      expect(err.details?.mapVersion).toBe(map.version)
      expect(err.details?.owners).toEqual(owners)
      expect((await rejection(c.get(nonOwnerOf(c, 'k'), 'k'))).code).toBe('NOT_OWNER')
      await c.put(owners[1], 'k', 'v')
      expect(await c.get(owners[2], 'k')).toBe('v')
      await c.shutdown()
    }
  })

  it("routing 'any' (the default) keeps Dynamo behaviour: any node coordinates", async () => {
    const c = await createSimCluster({ numNodes: 5, replicationFactor: 3, seed: 1 })
    await c.put(nonOwnerOf(c, 'k'), 'k', 'v')
    expect(await c.get(nonOwnerOf(c, 'k'), 'k')).toBe('v')
    await c.shutdown()
  })

  it('forwarding: a non-owner forwards writes and reads to an owner and returns its answer', async () => {
    for (const seed of SEEDS) {
      const c = await createSimCluster({ numNodes: 5, replicationFactor: 3, seed, routing: 'owner' })
      const via = nonOwnerOf(c, 'k')
      expect((await rejection(c.put(via, 'k', 'v'))).code).toBe('NOT_OWNER')
      c.enableForwarding(true)
      const sent: string[] = []
      const off = c.subscribe((u) => {
        for (const e of u.events) if (e.type === 'send' && e.node === via) sent.push(e.msg ?? '')
      })
      const w = await c.put(via, 'k', 'v1')
      const owners = c.getPartitionMap().partitions[c.getPartitionId('k')].replicas
      expect(w.acks.every((a) => owners.includes(a.node) || a.hintedFor)).toBe(true)
      expect(await c.get(via, 'k'), `seed ${seed}`).toBe('v1')
      c.flushUpdates()
      off()
      expect(sent).toContain('forward-write')
      expect(sent).toContain('forward-read')
      c.enableForwarding(false)
      expect((await rejection(c.get(via, 'k'))).code).toBe('NOT_OWNER')
      await c.shutdown()
    }
    const c = await createSimCluster({
      numNodes: 4,
      replicationFactor: 2,
      routing: 'owner',
      enableForwarding: true,
    })
    await c.put(nonOwnerOf(c, 'x'), 'x', 'y')
    expect(await c.get(nonOwnerOf(c, 'x'), 'x')).toBe('y')
    expect(() => c.enableForwarding('yes' as unknown as boolean)).toThrow(/BAD_INPUT/)
    await c.shutdown()
  })

  it('bad routing options are coded BAD_CONFIG', async () => {
    await expect(createSimCluster({ numNodes: 3, routing: 'owners' as 'owner' })).rejects.toMatchObject({
      code: 'BAD_CONFIG',
    })
    await expect(
      createSimCluster({ numNodes: 3, enableForwarding: 1 as unknown as boolean }),
    ).rejects.toMatchObject({ code: 'BAD_CONFIG' })
  })
})

describe('router', () => {
  it('routes every op to an owner, follows map changes after addNode', async () => {
    for (const seed of SEEDS) {
      const c = await createSimCluster({ numNodes: 4, replicationFactor: 2, seed, routing: 'owner' })
      const router = await c.startRouter()
      for (let i = 0; i < 40; i++) await router.put(`k${i}`, `v${i}`)
      for (let i = 0; i < 40; i++) expect(await router.get(`k${i}`), `seed ${seed}`).toBe(`v${i}`)
      const core = c.routerCore(router.id)!
      expect(Object.values(core.routedTo).reduce((a, b) => a + b, 0)).toBe(80)
      await c.addNode()
      expect(router.mapVersion).toBe(c.getPartitionMap().version)
      expect(core.map).toEqual(c.getPartitionMap())
      // Under owner routing a stale router would get NOT_OWNER: every op still lands on an owner.
      for (let i = 0; i < 40; i++) await router.put(`k${i}`, `w${i}`)
      for (let i = 0; i < 40; i++) expect(await router.get(`k${i}`)).toBe(`w${i}`)
      await router.delete('k0')
      expect(await router.get('k0')).toBeNull()
      await router.stop()
      await expect(router.get('k1')).rejects.toMatchObject({ code: 'NODE_DOWN' })
      await c.shutdown()
    }
  })

  it('skips an owner that is down', async () => {
    const c = await createSimCluster({ numNodes: 3, replicationFactor: 3, seed: 9, consistency: 'ONE' })
    const router = await c.startRouter()
    await router.put('a', '1')
    await c.kill(c.getPartitionMap().partitions[c.getPartitionId('a')].replicas[0])
    expect(await router.get('a')).toBe('1')
    await c.shutdown()
  })
})

describe('partition map lookup (what drivers and routers cache)', () => {
  it('agrees with getPartitionId for ring, hash and range strategies', async () => {
    const clusters = [
      await createSimCluster({ numNodes: 3, seed: 3 }),
      await createSimCluster({ numNodes: 3, seed: 3, partitionStrategy: 'hash', numPartitions: 12 }),
      await createSimCluster({
        numNodes: 3,
        seed: 3,
        partitionStrategy: 'range',
        keyRanges: [
          ['a', 'g'],
          ['g', 'm'],
          ['m', null],
        ],
      }),
    ]
    for (const c of clusters) {
      const map = c.getPartitionMap()
      for (let i = 0; i < 300; i++) {
        const key = `${'abcdefghijklmnopqrstuvwxyz'[i % 26]}user${i}`
        expect(partitionOfKey(map, key), `${map.strategy} ${key}`).toBe(c.getPartitionId(key))
      }
      expect(partitionOfKey(map, 'm')).toBe(c.getPartitionId('m'))
      await c.shutdown()
    }
  })
})
