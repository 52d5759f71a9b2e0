/**
 * The conflict-mode sweep: the SAME seeds (op and fault schedules) run in 'vector', 'crdt' and 'lww'
 * mode, with partitions, kills, loss and duplication. 'vector' and 'crdt' must lose no acknowledged
 * add and converge (PN-Counter totals exact, OR-Sets equal on every replica); the 'lww' run's
 * lost-add count is printed beside them (LWW loses writes under concurrency; that is the point).
 * CI sweeps CONFLICT_SEEDS; `SEEDS=3000` sweeps more, `SEED=n` replays one.
 */
import { describe, expect, it } from 'vitest'
import { checkConflictRun, lostAdds } from '../core/checker/conflictChecks'
import { replayLine, sweepSeeds } from './dynamoHarness'
import { runConflictWorkload } from './sweep/conflictRun'

const FILE = 'src/sim/conflictSweep.test.ts'
const CONFLICT_SEEDS = 300

describe('conflict modes under faults, the same seeds in every mode', () => {
  it(`vector and crdt lose no acknowledged add and converge; lww's losses are counted (${CONFLICT_SEEDS} seeds)`, async () => {
    const failures: string[] = []
    const lost = { lww: 0, vector: 0, crdt: 0 }
    const acked = { lww: 0, vector: 0, crdt: 0 }
    let lwwSeedsLosing = 0
    for (const seed of sweepSeeds(CONFLICT_SEEDS)) {
      for (const mode of ['vector', 'crdt', 'lww'] as const) {
        const run = await runConflictWorkload(seed, mode)
        acked[mode] += run.input.sets.filter((o) => o.f === 'add' && o.outcome === 'ok').length
        const n = lostAdds(run.input)
        lost[mode] += n
        if (mode === 'lww') {
          if (n > 0) lwwSeedsLosing++
        } else {
          const anomalies = checkConflictRun(run.input)
          if (anomalies.length > 0 || run.unsettled > 0)
            failures.push(
              `${mode}: ${replayLine(seed, FILE)} — ${anomalies.length} anomalies (first: ${anomalies[0]?.kind} ${anomalies[0]?.key}: ${anomalies[0]?.detail}), ${run.unsettled} unsettled; faults ${run.faults.join('; ')}`,
            )
        }
        await run.cluster.shutdown()
      }
    }
    console.log(
      `conflict sweep: acknowledged adds lost — lww ${lost.lww} of ${acked.lww} (${lwwSeedsLosing} seeds lost some), vector ${lost.vector} of ${acked.vector}, crdt ${lost.crdt} of ${acked.crdt}`,
    )
    if (failures.length > 0) console.error(failures.slice(0, 20).join('\n'))
    expect(failures).toEqual([])
    expect(lost.vector + lost.crdt).toBe(0)
  }, 180_000)
})
