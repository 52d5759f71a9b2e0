import { describe, expect, it } from 'vitest'
import type { WorkloadSpec } from '../core/workload/generator'
import { decodeFragment, encodeFragment, fragmentPayload, parseScenarioJson, scenarioToJson } from './codec'
import { type LiveRun, startLiveRun } from './liveRun'
import { playScenario, SimScenarioRun } from './replay'
import type { ScenarioDoc } from './schema'

const SPEC: WorkloadSpec = {
  ratePerSec: 80,
  readFraction: 0.4,
  distribution: 'zipfian',
  keyCount: 50,
  valueBytes: 32,
  concurrencyMax: 16,
  seed: 7,
}

/** A user's session: a workload, faults and repairs between clock ticks, a few direct calls. */
async function session(live: LiveRun, seed: number): Promise<void> {
  const c = live.cluster
  await live.tick(200)
  void c.startWorkload?.(SPEC)
  await live.tick(700 + seed * 37)
  void c.kill(seed % 5).catch(() => {})
  void c.put(1, `k${seed}`, 'v1').catch(() => {})
  await live.tick(900)
  c.partition([
    [0, 1],
    [2, 3, 4],
  ])
  void c.put(3, `k${seed}`, 'v2').catch(() => {})
  await live.tick(1200)
  c.setClockSkew(2, 250)
  c.setLink(0, 4, { latencyMs: 30, jitterMs: 10, lossRate: 0.1 })
  await live.tick(800)
  c.heal()
  void c.restart(seed % 5).catch(() => {})
  void c.read(0, `k${seed}`, { level: 'ALL' }).catch(() => {})
  await live.tick(1500)
  void c.stopWorkload?.()
  await live.tick(400)
}

async function recorded(seed: number): Promise<{ doc: ScenarioDoc; liveHash: string }> {
  const live = await startLiveRun({ numNodes: 5, replicationFactor: 3, seed, antiEntropyIntervalMs: 1000 })
  await session(live, seed)
  const doc = live.recorder.toDoc()
  const liveHash = live.hash.hex()
  await live.raw.shutdown()
  return { doc, liveHash }
}

describe('replay is exact on the simulator', () => {
  it('a recorded run, serialised to a link and back, replays to the same trace hash, twice (seeds 1–3)', async () => {
    for (const seed of [1, 2, 3]) {
      const { doc, liveHash } = await recorded(seed)
      expect(doc.steps.length, `seed ${seed}`).toBeGreaterThanOrEqual(10)
      const payload = fragmentPayload(await encodeFragment(doc))
      const back = await decodeFragment(payload ?? '')
      if (!back.ok) throw new Error(`seed ${seed}: ${back.error.code} ${back.error.message}`)
      expect(back.doc, `seed ${seed}`).toEqual(doc)
      const a = await playScenario(back.doc)
      const b = await playScenario(doc)
      expect(a.run.hash.events, `seed ${seed}`).toBeGreaterThan(500)
      expect(a.traceHash, `seed ${seed}: replay ≠ live run`).toBe(liveHash)
      expect(b.traceHash, `seed ${seed}: replay ≠ replay`).toBe(a.traceHash)
      await a.run.shutdown()
      await b.run.shutdown()
    }
  }, 120_000)

  it('another seed gives another hash; a changed step gives another hash', async () => {
    const { doc } = await recorded(1)
    const a = await playScenario(doc)
    const other = await playScenario({ ...doc, seed: doc.seed + 1 })
    const moved = { ...doc, steps: doc.steps.map((s) => (s.action === 'heal' ? { ...s, at: s.at + 50 } : s)) }
    const c = await playScenario(moved)
    expect(other.traceHash).not.toBe(a.traceHash)
    expect(c.traceHash).not.toBe(a.traceHash)
    for (const r of [a, other, c]) await r.run.shutdown()
  }, 60_000)

  it('time travel: back to the middle (a new run to t) then forward to the end gives the end hash', async () => {
    const { doc, liveHash } = await recorded(2)
    const mid = doc.durationMs / 2
    const first = await SimScenarioRun.start(doc)
    await first.runTo(mid)
    const midHash = first.traceHex()
    await first.runTo(doc.durationMs)
    expect(first.traceHex()).toBe(liveHash)
    // "Scrub back": a fresh run to the middle has the middle's hash; going on reaches the end's.
    const back = await SimScenarioRun.start(doc)
    await back.runTo(mid)
    expect(back.traceHex()).toBe(midHash)
    await back.runTo(doc.durationMs)
    expect(back.traceHex()).toBe(liveHash)
    await first.shutdown()
    await back.shutdown()
  }, 60_000)

  it('a branch from the middle is a scenario of its own: it replays to its own hash', async () => {
    const { doc } = await recorded(3)
    const mid = Math.round(doc.durationMs / 2)
    const run = await SimScenarioRun.start(doc)
    await run.runTo(mid)
    // Branch: keep the steps up to the middle, then act differently and record it.
    const { Recorder, recordingCluster } = await import('./recorder')
    const rec = new Recorder(
      { seed: doc.seed, runtime: 'sim', options: doc.options as never, workload: null },
      () => run.cluster.sim.nowMs,
    )
    rec.steps.push(...doc.steps.filter((s) => s.at <= mid))
    const c = recordingCluster(run.cluster, rec)
    void c.kill(4).catch(() => {})
    await run.cluster.runFor(300)
    c.partition([[0], [1, 2, 3, 4]])
    await run.cluster.runFor(700)
    const branch = rec.toDoc()
    const branchHash = run.traceHex()
    await run.shutdown()
    const json = parseScenarioJson(scenarioToJson(branch))
    if (!json.ok) throw new Error(json.error.message)
    const replayed = await playScenario(json.doc)
    expect(replayed.traceHash).toBe(branchHash)
    const original = await playScenario(doc)
    expect(replayed.traceHash).not.toBe(original.traceHash)
    await replayed.run.shutdown()
    await original.run.shutdown()
  }, 60_000)
})
