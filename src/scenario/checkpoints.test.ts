import { describe, expect, it } from 'vitest'
import type { WorkloadSpec } from '../core/workload/generator'
import { agreesUpTo, CheckpointPool, plannedTimesMs } from './checkpoints'
import { parseScenarioJson, scenarioToJson } from './codec'
import { type LiveRun, startLiveRun } from './liveRun'
import { Recorder, recordingCluster } from './recorder'
import { playScenario, SimScenarioRun } from './replay'
import type { ScenarioDoc } from './schema'

const SPEC: WorkloadSpec = {
  ratePerSec: 150,
  readFraction: 0.4,
  distribution: 'zipfian',
  keyCount: 60,
  valueBytes: 32,
  concurrencyMax: 16,
  seed: 5,
}

const yieldSlice = () => new Promise<void>((r) => setImmediate(r))
const pool = (spacingMs = 1000) => new CheckpointPool({ spacingMs, countMax: 8, sliceMs: 300, yieldSlice })

/** A session with faults between clock ticks; `each` runs after every tick (a pool following the recording). */
async function session(live: LiveRun, seed: number, each: () => void = () => {}): Promise<void> {
  const c = live.cluster
  const tick = async (ms: number) => {
    for (let left = ms; left > 0; left -= 250) {
      await live.tick(Math.min(250, left))
      each()
    }
  }
  await tick(100)
  void c.startWorkload?.(SPEC)
  await tick(900 + seed * 53)
  void c.kill(seed % 5).catch(() => {})
  await tick(1100)
  c.partition([
    [0, 1],
    [2, 3, 4],
  ])
  void c.put(3, `k${seed}`, 'v2').catch(() => {})
  await tick(1300)
  c.setClockSkew(2, 250)
  await tick(700)
  c.heal()
  void c.restart(seed % 5).catch(() => {})
  await tick(1600)
}

async function recorded(seed: number): Promise<{ doc: ScenarioDoc; liveHash: string }> {
  const live = await startLiveRun({ numNodes: 5, replicationFactor: 3, seed, antiEntropyIntervalMs: 1000 })
  await session(live, seed)
  const doc = live.recorder.toDoc()
  const liveHash = live.hash.hex()
  await live.raw.shutdown()
  return { doc, liveHash }
}

/** The hash of a straight replay from t = 0 to `tMs`. */
async function straightHash(doc: ScenarioDoc, tMs: number): Promise<string> {
  const run = await SimScenarioRun.start(doc)
  await run.runTo(tMs)
  const h = run.traceHex()
  await run.shutdown()
  return h
}

describe('checkpoint plan', () => {
  it('keeps multiples of the spacing, doubling it past countMax, and a frozen end', () => {
    const o = { spacingMs: 10_000, countMax: 6 }
    expect(plannedTimesMs(35_000, false, o)).toEqual([10_000, 20_000, 30_000])
    expect(plannedTimesMs(60_000, true, o)).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000])
    expect(plannedTimesMs(61_000.5, true, o)).toEqual([20_000, 40_000, 60_000, 61_000.5])
    expect(plannedTimesMs(0, true, o)).toEqual([])
  })

  it('two timelines agree up to t only with the same header and the same steps by t', async () => {
    const { doc } = await recorded(1)
    const heal = doc.steps.find((s) => s.action === 'heal')!
    const moved = { ...doc, steps: doc.steps.map((s) => (s === heal ? { ...s, at: s.at + 1 } : s)) }
    expect(agreesUpTo(doc, moved, heal.at - 1)).toBe(true)
    expect(agreesUpTo(doc, moved, heal.at)).toBe(false)
    expect(agreesUpTo(doc, { ...doc, seed: doc.seed + 1 }, 10)).toBe(false)
    expect(agreesUpTo(doc, { ...doc, durationMs: 100 }, 200)).toBe(false)
  }, 30_000)
})

describe('time travel from checkpoints is exact', () => {
  it('a scrub from the nearest checkpoint has the straight replay hash there, and the end hash after (seeds 1–2)', async () => {
    for (const seed of [1, 2]) {
      const { doc, liveHash } = await recorded(seed)
      const p = pool()
      p.setTimeline(doc, true)
      expect(await p.whenReady(), `seed ${seed}`).toBe(true)
      expect(p.readyTimesMs().at(-1), `seed ${seed}`).toBe(doc.durationMs)
      for (const t of [doc.durationMs / 2, 2_500.25, doc.durationMs - 700]) {
        const from = p.bestMs(t, doc)
        const run = p.take(t, doc)
        if (!run || from === null) throw new Error(`seed ${seed}: no checkpoint before ${t}`)
        expect(run.nowMs, `seed ${seed} t ${t}`).toBe(from)
        expect(t - from, `seed ${seed} t ${t}: replays at most one spacing`).toBeLessThan(1000)
        await run.runTo(t)
        expect(run.traceHex(), `seed ${seed} t ${t}: checkpoint ≠ straight replay`).toBe(
          await straightHash(doc, t),
        )
        await run.runTo(doc.durationMs)
        expect(run.traceHex(), `seed ${seed} t ${t}: end ≠ live run`).toBe(liveHash)
        await run.shutdown()
        // The pool rolls a replacement for what was taken.
        expect(await p.whenReady(), `seed ${seed}`).toBe(true)
      }
      // Forward to the end: the end's own checkpoint is the recorded run's hash as it stands.
      const end = p.take(doc.durationMs, doc)!
      expect(end.traceHex()).toBe(liveHash)
      await end.shutdown()
      await p.dispose()
    }
  }, 180_000)

  it('checkpoints rolled alongside a live run (interleaved) follow its recording exactly', async () => {
    const live = await startLiveRun({
      numNodes: 5,
      replicationFactor: 3,
      seed: 4,
      antiEntropyIntervalMs: 1000,
    })
    const p = pool()
    await session(live, 4, () => p.setTimeline(live.recorder.toDoc(), false))
    const doc = live.recorder.toDoc()
    const liveHash = live.hash.hex()
    // Some were rolled while the live run went on, interleaved with it.
    expect(p.rolled).toBeGreaterThan(0)
    await live.raw.shutdown()
    p.setTimeline(doc, true)
    expect(await p.whenReady()).toBe(true)
    const mid = doc.durationMs / 2
    const run = p.take(mid, doc)!
    expect(run.nowMs).toBeGreaterThan(0)
    await run.runTo(mid)
    expect(run.traceHex()).toBe(await straightHash(doc, mid))
    await run.runTo(doc.durationMs)
    expect(run.traceHex()).toBe(liveHash)
    await run.shutdown()
    await p.dispose()
  }, 120_000)

  it('a timeline changed before a checkpoint drops it; one changed after keeps it', async () => {
    const { doc } = await recorded(3)
    const p = pool()
    p.setTimeline(doc, true)
    await p.whenReady()
    const last = doc.steps.at(-1)!
    const later = { ...doc, steps: [...doc.steps, { ...last, at: doc.durationMs - 10 }] }
    expect(p.bestMs(last.at, later)).not.toBeNull()
    const early = { ...doc, steps: [{ ...last, at: 50 }, ...doc.steps] }
    expect(p.bestMs(doc.durationMs, early)).toBeNull()
    expect(p.take(doc.durationMs, early)).toBeNull()
    p.setTimeline(early, true)
    expect(p.readyTimesMs()).toEqual([])
    await p.dispose()
  }, 60_000)

  it('a run the scrubber leaves comes back as a spare at its instant, only while it is a clean run of the timeline', async () => {
    const { doc, liveHash } = await recorded(1)
    const p = pool()
    p.setTimeline(doc, true)
    await p.whenReady()
    const t = 2_345.5
    const run = p.take(t, doc)!
    await run.runTo(t)
    const atHash = run.traceHex()
    expect(p.adopt(run, { ...doc })).toBe(true)
    expect(p.readyTimesMs()).toContain(t)
    expect(p.bestMs(t + 10, doc)).toBe(t)
    // Taken again it is the same run, where it was left, and it goes on exactly.
    const again = p.take(t + 10, doc)!
    expect(again).toBe(run)
    expect(again.traceHex()).toBe(atHash)
    await again.runTo(doc.durationMs)
    expect(again.traceHex()).toBe(liveHash)
    // A run acted on outside the replay (a branch) is not a run of any timeline the pool keeps.
    const branched = p.take(t, doc)!
    await branched.runTo(t)
    const rec = new Recorder(
      { seed: doc.seed, runtime: 'sim', options: doc.options as never, workload: doc.workload },
      () => branched.cluster.sim.nowMs,
    )
    rec.steps.push(...doc.steps.filter((s) => s.at <= t))
    void recordingCluster(branched.cluster, rec)
      .kill(0)
      .catch(() => {})
    await branched.cluster.runFor(200)
    expect(p.adopt(branched, rec.toDoc())).toBe(false)
    // Nor is one whose timeline changed before its instant.
    const moved = { ...doc, steps: [{ ...doc.steps[0], at: 1 }, ...doc.steps] }
    expect(p.adopt(again, moved)).toBe(false)
    for (const r of [again, branched]) await r.shutdown()
    await p.dispose()
  }, 60_000)

  it('scrub to a checkpoint → branch → the branched document replays to the branch hash', async () => {
    const { doc } = await recorded(2)
    const p = pool()
    p.setTimeline(doc, true)
    await p.whenReady()
    const mid = Math.round(doc.durationMs / 2) + 0.5
    const run = p.take(mid, doc)!
    expect(run.nowMs).toBeGreaterThan(0)
    await run.runTo(mid)
    const rec = new Recorder(
      { seed: doc.seed, runtime: 'sim', options: doc.options as never, workload: doc.workload },
      () => run.cluster.sim.nowMs,
    )
    rec.steps.push(...doc.steps.filter((s) => s.at <= mid))
    const c = recordingCluster(run.cluster, rec)
    void c.kill(4).catch(() => {})
    await run.cluster.sim.settleMicrotasks()
    await run.cluster.runFor(400)
    c.partition([[0], [1, 2, 3, 4]])
    await run.cluster.sim.settleMicrotasks()
    await run.cluster.runFor(900)
    const branch = rec.toDoc()
    const branchHash = run.traceHex()
    await run.shutdown()
    await p.dispose()
    const json = parseScenarioJson(scenarioToJson(branch))
    if (!json.ok) throw new Error(json.error.message)
    const replayed = await playScenario(json.doc)
    expect(replayed.traceHash).toBe(branchHash)
    await replayed.run.shutdown()
  }, 60_000)
})
