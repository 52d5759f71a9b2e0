/**
 * The live checker over seeded Dynamo runs: a strict quorum reports nothing (≥ 300 seeds; SEEDS=n
 * for more, SEED=n to replay), and at R=W=1 the live checker's verdict on the recorded history
 * equals the batch checker's on the workload's own history of the same run.
 */
import { describe, expect, it } from 'vitest'
import { runAntiEntropy } from '../core/antiEntropy/install'
import { checkHistory } from '../core/checker/checkHistory'
import type { ReadAnomaly } from '../core/checker/staleReads'
import { replayLine, sweepSeeds } from './dynamoHarness'
import { quiesce, runWorkload } from './dynamoWorkload'
import { checkLive, type LiveVerdict } from './verdictRun'

const FILE = 'src/sim/verdictSweep.test.ts'
const STRICT = {
  numNodes: 5,
  replicationFactor: 3,
  writeQuorum: 2,
  readQuorum: 2,
  sloppyQuorum: false,
  antiEntropyIntervalMs: 0,
}

describe('live checker over simulated runs', () => {
  it('strict quorum (R + W > N, no stand-ins) under partitions: 0 anomalies, final check included (≥ 300 seeds)', async () => {
    const failures: string[] = []
    let ops = 0
    for (const seed of sweepSeeds(300)) {
      let live: LiveVerdict | null = null
      const run = await runWorkload(seed, {
        cluster: STRICT,
        partitions: 2,
        opsPerProcess: 15,
        beforeStart: async (c) => {
          live = checkLive(c)
        },
      })
      const l = live as unknown as LiveVerdict
      await quiesce(run.cluster, (i) => runAntiEntropy(run.cluster.liveNode(i)))
      await l.finalCheck()
      const v = l.verdict()
      ops += v.ops
      if (v.anomalies > 0)
        failures.push(
          `${replayLine(seed, FILE)} — ${v.headline}: ${v.list[0].title} (${v.list[0].causes[0]})`,
        )
      await run.cluster.shutdown()
    }
    if (failures.length > 0) console.error(failures.join('\n'))
    expect(failures).toEqual([])
    expect(ops).toBeGreaterThan(300 * 40)
  }, 120_000)

  it('R=W=1 under partitions: stale reads found with a quorum cause, and the same verdict as the batch checker', async () => {
    let stale = 0
    for (const seed of sweepSeeds(40, 1000)) {
      let live: LiveVerdict | null = null
      const run = await runWorkload(seed, {
        cluster: { ...STRICT, writeQuorum: 1, readQuorum: 1 },
        partitions: 3,
        beforeStart: async (c) => {
          live = checkLive(c, { keepHistory: true })
        },
      })
      const l = live as unknown as LiveVerdict
      const batch = checkHistory({ history: l.history })
      const mine = l.checker.findings()
      const sig = (a: ReadAnomaly) =>
        `${a.kind}:${a.key}:${a.read.index}:${a.kind === 'stale-read' ? a.supersededBy.index : ''}`
      expect(mine.reads.map(sig).sort(), replayLine(seed, FILE)).toEqual(batch.readAnomalies.map(sig).sort())
      // The workload's own history (same run, page-observed order aside) has the same stale reads or fewer:
      // the recorder orders ops that completed before another began at one virtual instant.
      const coarse = checkHistory({ history: run.history }).readAnomalies.length
      expect(coarse).toBeLessThanOrEqual(batch.readAnomalies.length)
      const linWant = batch.linearizability.map((k) => `${k.key}:${k.verdict}`).sort()
      expect(mine.linearizability.map((k) => `${k.key}:${k.verdict}`).sort(), replayLine(seed, FILE)).toEqual(
        linWant,
      )
      for (const a of l.verdict().list.filter((x) => x.kind === 'stale-read')) {
        stale++
        expect(a.causes[0], replayLine(seed, FILE)).toBe('R + W ≤ N (1 + 1 ≤ 3)')
      }
      await run.cluster.shutdown()
    }
    expect(stale).toBeGreaterThan(0)
  }, 120_000)
})
