import { describe, expect, it } from 'vitest'
import { startLiveRun } from './liveRun'

describe('the recording proxy', () => {
  it('records each action once with its virtual time, not reads of state, not the cluster’s inner calls', async () => {
    const live = await startLiveRun({ numNodes: 3, seed: 5 })
    const c = live.cluster
    await live.tick(100)
    const t = live.raw.sim.nowMs
    c.partition([[0], [1, 2]])
    c.heal()
    void c.put(0, 'k', 'v').catch(() => {})
    c.faults()
    c.getRing()
    void c.listRecords()
    await live.tick(200)
    // markHotKey salts through the cluster's own enableSalt: one step, not two.
    void c.markHotKey('hot', 4).catch(() => {})
    await live.tick(50)
    await c.time.step()
    const steps = live.recorder.steps
    expect(steps.map((s) => s.action)).toEqual(['partition', 'heal', 'put', 'markHotKey', 'step'])
    expect(steps[0].at).toBe(t)
    expect(steps[0].args).toEqual([[[0], [1, 2]]])
    expect(steps[2].args).toEqual([0, 'k', 'v'])
    await live.raw.shutdown()
  }, 20_000)

  it('skips calls that are not schema-valid (counted), and a branch drops the steps after its instant', async () => {
    const live = await startLiveRun({ numNodes: 3, seed: 5 })
    const c = live.cluster
    expect(() => c.setClockSkew(0, Number.NaN)).toThrow()
    expect(live.recorder.skipped).toBe(1)
    c.heal()
    await live.tick(500)
    c.heal()
    live.recorder.truncateAfter(100)
    expect(live.recorder.steps).toHaveLength(1)
    expect(live.recorder.toDoc().durationMs).toBe(live.raw.sim.nowMs)
    await live.raw.shutdown()
  })
})
