/**
 * The elastic cluster's proof (issue 13, "Done when"): a workload runs while addNode, removeNode,
 * transferPartition and split/merge run one after another under kills and partitions; after heal,
 * restart and settle, every key with an acknowledged write reads its newest acknowledged value or a
 * newer one, at N = 1, 2 and 3 (ring, hash and range strategies in turn).
 * Default: 50 seeds per N. More: SWEEP_SEEDS=500. Replay one: SEED=123 npx vitest run src/sim/elasticSweep.test.ts
 */
import { describe, expect, it } from 'vitest'
import { elasticRun, type Strategy } from './sweep/elasticRun'

const single = process.env.SEED ? [Number(process.env.SEED)] : null
const count = Number(process.env.SWEEP_SEEDS ?? 50)
const seeds = single ?? Array.from({ length: count }, (_, i) => i + 1)
const STRATEGIES: Strategy[] = ['ring', 'hash', 'range']

describe('elastic cluster under a workload, membership changes and faults', () => {
  for (const n of [1, 2, 3])
    it(`N = ${n}: every acknowledged key readable afterwards (${seeds.length} seeds)`, async () => {
      const failures: string[] = []
      let changes = 0
      let acked = 0
      for (const seed of seeds) {
        const strategy = STRATEGIES[seed % 3]
        const r = await elasticRun(seed, { replicationFactor: n, strategy })
        await r.cluster.shutdown()
        changes += r.changesDone
        acked += r.acked
        if (r.lost.length === 0) continue
        failures.push(
          `seed ${seed} (N=${n}, ${strategy}): ${r.lost.slice(0, 3).join('; ')}\n  log: ${r.log.join(', ')}\n  replay: SEED=${seed} npx vitest run src/sim/elasticSweep.test.ts -t "N = ${n}"`,
        )
        if (failures.length >= 3) break
      }
      console.log(`N=${n}: ${seeds.length} seeds, ${changes} membership changes done, ${acked} keys acked`)
      expect(failures, failures.join('\n')).toEqual([])
    }, 120_000)
})
