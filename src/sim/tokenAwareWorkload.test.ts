import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { NodeId } from '../core/ids'
import { coordinateRead, coordinateWrite } from '../core/node/coordinator'
import { ownedKeyFilter, ownerRead, ownerWrite } from '../core/node/ownerRouting'
import { validateWorkloadSpec, WorkloadGenerator, type WorkloadSpec } from '../core/workload/generator'
import { zipfCdf } from '../core/workload/keys'

const SPEC: WorkloadSpec = {
  ratePerSec: 500,
  readFraction: 0.3,
  distribution: 'uniform',
  keyCount: 200,
  valueBytes: 16,
  concurrencyMax: 16,
  seed: 7,
}

/** Runs a node-side generator on node_0 for 1 s of virtual time; returns the coordinator of each write. */
async function run(seed: number, tokenAware: boolean) {
  const c = await createSimCluster({ numNodes: 6, replicationFactor: 3, seed, antiEntropyIntervalMs: 0 })
  const n = c.liveNode(0)
  const coordinators: Array<{ key: string; by: NodeId }> = []
  const put = tokenAware ? ownerWrite : coordinateWrite
  const read = tokenAware ? ownerRead : coordinateRead
  const g = new WorkloadGenerator(
    { ...SPEC, seed, coordinator: tokenAware ? 'token-aware' : 'random' },
    {
      put: (key, value, level) =>
        put(n, key, value, level).then((out) => coordinators.push({ key, by: out.version.node })),
      read: (key, level) => read(n, key, level),
    },
    n.env.timers,
    () => n.env.clock.nowMs(),
  )
  await c.runFor(1000)
  g.stop()
  await c.settle()
  const tally = g.take()
  const owners = (key: string): NodeId[] => c.getPartitionMap().partitions[c.getPartitionId(key)].replicas
  const byOwner = coordinators.filter((x) => owners(x.key).includes(x.by)).length
  await c.shutdown()
  return { tally, writes: coordinators.length, byOwner }
}

describe('token-aware workload (the dashboard switch)', () => {
  it('token-aware: every op is coordinated by one of its key owners; random: the generator node coordinates', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const aware = await run(seed, true)
      expect(aware.tally.errors, `seed ${seed}`).toBe(0)
      expect(aware.writes).toBeGreaterThan(100)
      expect(aware.byOwner, `seed ${seed}`).toBe(aware.writes)
      const random = await run(seed, false)
      // node_0 owns about half of the keys (3 of 6 replicas): the rest are coordinated by a non-owner
      expect(random.byOwner).toBeLessThan(random.writes * 0.8)
    }
  })

  it('owns filter: each node issues only its keys, none is forwarded, and the mix keeps the spec (rate ÷ N each)', async () => {
    for (const distribution of ['uniform', 'zipfian'] as const) {
      const c = await createSimCluster({
        numNodes: 6,
        replicationFactor: 3,
        seed: 5,
        antiEntropyIntervalMs: 0,
      })
      const perKey = new Map<string, number>()
      let forwarded = 0
      let total = 0
      const gens = [0, 1, 2, 3, 4, 5].map((i) => {
        const n = c.liveNode(i)
        const owns = ownedKeyFilter(n)
        return new WorkloadGenerator(
          {
            ...SPEC,
            distribution,
            ratePerSec: 600 / 3,
            concurrencyMax: 64,
            seed: 11 + i,
            coordinator: 'token-aware',
          },
          {
            put: (key, value, level) =>
              ownerWrite(n, key, value, level).then((out) => {
                if (out.version.node !== n.id) forwarded++
              }),
            read: (key, level) => ownerRead(n, key, level),
            owns: (key) => {
              const mine = owns(key)
              if (mine) {
                perKey.set(key, (perKey.get(key) ?? 0) + 1)
                total++
              }
              return mine
            },
          },
          n.env.timers,
          () => n.env.clock.nowMs(),
        )
      })
      await c.runFor(2000)
      for (const g of gens) g.stop()
      await c.settle()
      for (const g of gens) expect(g.take().errors).toBe(0)
      await c.shutdown()
      expect(forwarded, distribution).toBe(0)
      // 600 ops/s for 2 s across the cluster, as one generator at the whole rate would issue.
      expect(total, distribution).toBeGreaterThan(1200 * 0.85)
      expect(total, distribution).toBeLessThan(1200 * 1.15)
      // The hottest key's share: uniform ~1/200; Zipfian (s = 1.1) as the spec's distribution draws it.
      const top = Math.max(...perKey.values()) / total
      if (distribution === 'uniform') expect(top).toBeLessThan(0.02)
      else expect(Math.abs(top - zipfCdf(200, 1.1)[0])).toBeLessThan(0.04)
    }
  })

  it('the spec names its coordinator; anything else is a coded error', () => {
    expect(() => validateWorkloadSpec({ ...SPEC, coordinator: 'token-aware' })).not.toThrow()
    expect(() => validateWorkloadSpec({ ...SPEC, coordinator: 'owner' as 'random' })).toThrow(
      /BAD_INPUT.*coordinator/,
    )
  })
})
