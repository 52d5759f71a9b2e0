import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { NodeId } from '../core/ids'
import { coordinateRead, coordinateWrite } from '../core/node/coordinator'
import { ownerRead, ownerWrite } from '../core/node/ownerRouting'
import { validateWorkloadSpec, WorkloadGenerator, type WorkloadSpec } from '../core/workload/generator'

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

  it('the spec names its coordinator; anything else is a coded error', () => {
    expect(() => validateWorkloadSpec({ ...SPEC, coordinator: 'token-aware' })).not.toThrow()
    expect(() => validateWorkloadSpec({ ...SPEC, coordinator: 'owner' as 'random' })).toThrow(
      /BAD_INPUT.*coordinator/,
    )
  })
})
