/**
 * The node-side workload's ops reach the live checker (issue #17): the simulator's generator (the
 * same tap as the worker runtime's nodes) feeds the history, a strict-quorum run stays clean, and an
 * R = W = 1 run under a partition is caught among the workload's own ops.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { WorkloadSpec } from '../core/workload/generator'
import { checkLive } from './verdictRun'

const SPEC: WorkloadSpec = {
  ratePerSec: 200,
  readFraction: 0.5,
  distribution: 'zipfian',
  keyCount: 20,
  valueBytes: 32,
  concurrencyMax: 16,
  seed: 7,
}
const SEEDS = Number(process.env.SEEDS ?? 30)

async function run(seed: number, quorum: number, partition: boolean) {
  const c = await createSimCluster({
    numNodes: 5,
    replicationFactor: 3,
    writeQuorum: quorum,
    readQuorum: quorum,
    sloppyQuorum: false,
    antiEntropyIntervalMs: 0,
    seed,
  })
  const live = checkLive(c)
  await c.startWorkload({ ...SPEC, seed })
  let pulled = 0
  for (let t = 500; t <= 4000; t += 500) {
    if (partition && t === 1500)
      c.partition([
        ['node_0', 'node_1'],
        ['node_2', 'node_3', 'node_4'],
      ])
    await c.runToMs(t)
    pulled += live.pullWorkload()
  }
  await c.stopWorkload()
  await c.runToMs(6000)
  pulled += live.pullWorkload()
  const v = live.verdict()
  await c.shutdown()
  return { v, pulled }
}

describe('live checker: the node-side workload', () => {
  it('the simulator workload’s ops are in the history, with their coordinator, level and versions', async () => {
    const { v, pulled } = await run(1, 2, false)
    expect(pulled).toBeGreaterThan(500)
    // ~200 ops/s for 4 s: every op's invoke and completion (open ones count too).
    expect(v.ops).toBeGreaterThan(500)
    expect(v.ok + v.fail + v.info).toBe(v.ops)
    expect(v.keys).toBeGreaterThan(5)
  })

  it(`strict quorums (R = W = 2 of N = 3): no anomaly among the workload's ops (${SEEDS} seeds)`, async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { v } = await run(seed, 2, false)
      if (v.anomalies > 0) console.log(`failing seed ${seed}: ${v.headline}`, v.list[0]?.title)
      expect(v.anomalies, `seed ${seed}`).toBe(0)
    }
  }, 120_000)

  it('R = W = 1 under a partition: the workload’s stale reads are found, caused by R + W ≤ N', async () => {
    let found = 0
    for (let seed = 1; seed <= 5; seed++) {
      const { v } = await run(seed, 1, true)
      const stale = v.list.filter((a) => a.kind === 'stale-read')
      if (stale.length > 0) {
        found++
        expect(stale[0].causes).toContain('R + W ≤ N (1 + 1 ≤ 3)')
      }
    }
    expect(found).toBeGreaterThan(0)
  }, 60_000)
})
