/** updatePartitionMap and map pushes: drivers, routers and nodes end with the cluster's map. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { createDriver } from '../cluster/driver'
import type { ClusterOptions } from '../cluster/types'

const STRATEGIES: Array<[string, Partial<ClusterOptions>]> = [
  ['ring', {}],
  ['hash', { partitionStrategy: 'hash', numPartitions: 16 }],
  [
    'range',
    {
      partitionStrategy: 'range',
      keyRanges: [
        ['a', 'm'],
        ['m', null],
      ],
    },
  ],
]

describe('updatePartitionMap', () => {
  it('a driver and a router holding a stale map end with the cluster’s map; every node has it', async () => {
    const c = await createSimCluster({ numNodes: 3, replicationFactor: 2, seed: 3, routing: 'owner' })
    const d = createDriver(c)
    const router = await c.startRouter()
    const stale = c.getPartitionMap()
    await c.addNode()
    const now = c.getPartitionMap()
    expect(now.version).toBeGreaterThan(stale.version)
    // A stale driver (its map set back by hand); routers and drivers hear pushes through onPartitionMap.
    d.setMap(stale)
    expect(d.map).toEqual(stale)
    const heard: number[] = []
    const off = c.onPartitionMap((m) => heard.push(m.version))
    const pushed = c.updatePartitionMap()
    expect(heard).toEqual([now.version]) // pushed although its version is not new
    off()
    expect(pushed).toEqual(now)
    expect(pushed.version).toBe(now.version) // kept: the map did not change
    expect(d.map).toEqual(now)
    expect(router.mapVersion).toBe(now.version)
    for (const n of c.nodes) expect(c.liveNode(n.id).ring.version).toBe(now.version)
    // A stale driver also recovers by itself on NOT_OWNER; after the push it needs no retry.
    for (let i = 0; i < 20; i++) await d.put('u', `k${i}`, 'v')
    expect(d.stats.notOwnerRetries).toBe(0)
    d.close()
    await router.stop()
    await c.shutdown()
  })

  it('a shut-down cluster refuses it', async () => {
    const c = await createSimCluster({ numNodes: 2 })
    await c.shutdown()
    expect(() => c.updatePartitionMap()).toThrow(/CLUSTER_SHUT_DOWN/)
  })
})

describe('the driver’s map equals the cluster’s after add and split (sim runtime)', () => {
  for (const [name, opts] of STRATEGIES)
    it(name, async () => {
      const c = await createSimCluster({ numNodes: 3, replicationFactor: 2, seed: 11, ...opts })
      const d = createDriver(c)
      const keys = Array.from({ length: 40 }, (_, i) => `${String.fromCharCode(97 + (i % 26))}key${i}`)
      for (const k of keys) await d.put('u', k, `v-${k}`)
      await c.addNode()
      expect(d.map).toEqual(c.getPartitionMap())
      if (name !== 'ring') {
        await c.splitPartition(0)
        expect(d.map).toEqual(c.getPartitionMap())
        expect(d.map.partitions.length).toBe(opts.numPartitions ? 17 : 3)
      }
      for (const k of keys) expect(await d.get('u', k), `${name} ${k}`).toBe(`v-${k}`)
      d.close()
      await c.shutdown()
    })
})
