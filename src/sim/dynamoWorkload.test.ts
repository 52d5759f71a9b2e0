import { describe, expect, it } from 'vitest'
import { runWorkload } from './dynamoWorkload'

describe('runWorkload', () => {
  it('no scheduled fault fires after the workload ends (seed 4128 partitioned a quiesced cluster)', async () => {
    for (const seed of [4128, 1, 2, 3]) {
      const run = await runWorkload(seed, {
        cluster: { numNodes: 5, replicationFactor: 3, sloppyQuorum: false, antiEntropyIntervalMs: 0 },
        partitions: 2,
      })
      const faultsAtEnd = run.faults.length
      await run.cluster.runFor(120_000)
      expect(run.faults.slice(faultsAtEnd), `seed ${seed}`).toEqual([])
      await run.cluster.shutdown()
    }
  })
})
