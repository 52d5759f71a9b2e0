import { describe, expect, it } from 'vitest'
import { pairOperations } from '../core/checker/history'
import { findStaleReads } from '../core/checker/staleReads'
import { replayLine, sweepSeeds } from './dynamoHarness'
import { runWorkload, verdictAfterQuiesce } from './dynamoWorkload'

const FILE = 'src/sim/checker.test.ts'
/** Strict-quorum seeds that once lost an acknowledged write or read stale (a retry after a round
 * that heard from fewer than W replicas was acknowledged; 10,000-seed sweep). */
const STRICT_REGRESSIONS = [792, 1522, 1778, 1842, 2396, 3008, 3434, 4390, 4672]
/** CI sweeps this many seeds per strict-quorum check; `SEEDS=10000` sweeps wider. */
const STRICT_SEEDS = 500

describe('history checker over simulated Dynamo runs', () => {
  it('R+W>N with a strict quorum: no stale reads (≥ 500 seeds, partitions)', async () => {
    const failures: string[] = []
    for (const seed of sweepSeeds(STRICT_SEEDS, 1, STRICT_REGRESSIONS)) {
      const run = await runWorkload(seed, {
        cluster: {
          numNodes: 5,
          replicationFactor: 3,
          writeQuorum: 2,
          readQuorum: 2,
          sloppyQuorum: false,
          antiEntropyIntervalMs: 0,
        },
        partitions: 2,
      })
      const stale = findStaleReads(pairOperations(run.history)).filter((a) => a.kind === 'stale-read')
      if (stale.length > 0) {
        failures.push(
          `${replayLine(seed, FILE)} — ${stale.length} stale reads, first on ${stale[0].key}; faults ${run.faults.join('; ')}`,
        )
      }
      await run.cluster.shutdown()
    }
    if (failures.length > 0) console.error(failures.join('\n'))
    expect(failures).toEqual([])
  })

  it('R=W=1 under partitions: stale reads occur in the sweep and the checker reports them', async () => {
    let staleTotal = 0
    let runsWithStale = 0
    for (const seed of sweepSeeds(20)) {
      const run = await runWorkload(seed, {
        cluster: {
          numNodes: 5,
          replicationFactor: 3,
          writeQuorum: 1,
          readQuorum: 1,
          antiEntropyIntervalMs: 0,
        },
        partitions: 3,
      })
      const stale = findStaleReads(pairOperations(run.history)).filter((a) => a.kind === 'stale-read')
      staleTotal += stale.length
      if (stale.length > 0) runsWithStale++
      await run.cluster.shutdown()
    }
    expect(staleTotal).toBeGreaterThan(0)
    expect(runsWithStale).toBeGreaterThan(0)
  })

  it('after heal + settle + anti-entropy: no divergence and no lost acknowledged writes (strict quorum)', async () => {
    const failures: string[] = []
    for (const seed of sweepSeeds(STRICT_SEEDS, 1, STRICT_REGRESSIONS)) {
      const run = await runWorkload(seed, {
        cluster: {
          numNodes: 5,
          replicationFactor: 3,
          writeQuorum: 2,
          readQuorum: 2,
          sloppyQuorum: false,
          antiEntropyIntervalMs: 0,
        },
        partitions: 2,
      })
      const c = run.cluster
      const { divergences, lost } = await verdictAfterQuiesce(run)
      if (divergences.length > 0 || lost.length > 0)
        failures.push(
          `${replayLine(seed, FILE)} — ${divergences.length} divergent keys, ${lost.length} lost writes; faults ${run.faults.join('; ')}`,
        )
      await c.shutdown()
    }
    if (failures.length > 0) console.error(failures.join('\n'))
    expect(failures).toEqual([])
  })

  it('sloppy quorum: replicas still converge after anti-entropy; lost writes are possible and reported', async () => {
    const failures: string[] = []
    let lostTotal = 0
    for (const seed of sweepSeeds(20)) {
      const run = await runWorkload(seed, {
        cluster: {
          numNodes: 5,
          replicationFactor: 3,
          writeQuorum: 2,
          readQuorum: 2,
          antiEntropyIntervalMs: 0,
        },
        partitions: 2,
      })
      const c = run.cluster
      const { divergences, lost } = await verdictAfterQuiesce(run)
      lostTotal += lost.length
      if (divergences.length > 0)
        failures.push(`${replayLine(seed, FILE)} — ${divergences.length} divergent keys`)
      await c.shutdown()
    }
    if (failures.length > 0) console.error(failures.join('\n'))
    expect(failures).toEqual([])
    // Sloppy quorums break the R+W>N overlap (Dynamo): an acknowledged write may lose to LWW.
    console.info(`sloppy quorum sweep: ${lostTotal} lost acknowledged writes reported by the checker`)
  })
})
