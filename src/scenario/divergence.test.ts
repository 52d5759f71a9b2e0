/**
 * Divergence between a worker replay and a simulator replay: the simulator's per-step outcomes come
 * from an exact replay (same trace hash as playScenario), and the first differing step is found in
 * order, waiting for unsettled earlier steps.
 */
import { describe, expect, it } from 'vitest'
import { divergenceText, firstDivergence, simStepResults } from './divergence'
import { playScenario } from './replay'
import { SCENARIO_VERSION, type ScenarioDoc } from './schema'

const DOC: ScenarioDoc = {
  version: SCENARIO_VERSION,
  seed: 4,
  runtime: 'worker',
  options: { numNodes: 3, replicationFactor: 3 },
  workload: null,
  steps: [
    { at: 100, action: 'put', args: [0, 'a', '1'] },
    { at: 100, action: 'put', args: [1, 'b', '2', { level: 'ALL' }] },
    { at: 600, action: 'kill', args: ['node_2'] },
    { at: 600, action: 'put', args: ['node_2', 'c', '3'] },
    { at: 1500, action: 'get', args: [1, 'a'] },
    { at: 1500, action: 'read', args: [0, 'zz'] },
  ] as unknown as ScenarioDoc['steps'],
  durationMs: 3000,
}

describe('worker replay vs simulator replay', () => {
  it('the simulator’s step outcomes come from an exact replay', async () => {
    const { results, traceHash } = await simStepResults(DOC)
    const { run, traceHash: played } = await playScenario({ ...DOC, runtime: 'sim' })
    await run.shutdown()
    expect(traceHash).toBe(played)
    expect(results).toEqual([
      { ok: true, acks: 2 },
      { ok: true, acks: 3 },
      { ok: true },
      { ok: false, errorCode: 'NODE_DOWN' },
      { ok: true, readValue: '1' },
      { ok: true, readValue: null },
    ])
  })

  it('finds the first step that differs, in order, and says it in words', () => {
    const sim = [{ ok: true, acks: 2 }, { ok: true, readValue: '1' }, { ok: true }]
    expect(firstDivergence(sim, [])).toEqual({ state: 'pending', settled: 0, steps: 3 })
    // a later difference does not count while an earlier step has not settled
    expect(firstDivergence(sim, [sim[0], undefined, { ok: false, errorCode: 'X' }])).toMatchObject({
      state: 'pending',
      settled: 1,
    })
    const d = firstDivergence(sim, [sim[0], { ok: true, readValue: null }, { ok: false, errorCode: 'X' }])
    expect(d).toMatchObject({ state: 'diverged', index: 1 })
    expect(divergenceText(d, DOC)).toBe(
      'Diverged from a simulator replay at step 2 of 6 (put at 0.1 s): the simulator read “1”, the workers read nothing.',
    )
    expect(firstDivergence(sim, sim)).toEqual({ state: 'same', steps: 3 })
  })
})
