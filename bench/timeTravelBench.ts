/**
 * Time travel cost: a 5-node simulator run of 60 virtual seconds under a workload with faults, then
 * a scrub back to its middle, timed two ways: a new run from t = 0 replayed to 30 s, and from the
 * nearest checkpoint (src/scenario/checkpoints.ts), with what rolling the checkpoints cost in time
 * and heap. `npm run bench:timetravel` (`RATE=50`; `node --expose-gc` for the heap figure:
 * `node --expose-gc --import tsx bench/timeTravelBench.ts`).
 */
import { CHECKPOINT_DEFAULTS, CheckpointPool } from '../src/scenario/checkpoints'
import { startLiveRun } from '../src/scenario/liveRun'
import { SimScenarioRun } from '../src/scenario/replay'

const RATE = Number(process.env.RATE ?? 200)

async function main(): Promise<void> {
  const live = await startLiveRun({ numNodes: 5, replicationFactor: 3, seed: 11 }, 10)
  const c = live.cluster
  const spec = {
    ratePerSec: RATE,
    readFraction: 0.5,
    distribution: 'zipfian' as const,
    keyCount: 200,
    valueBytes: 64,
    concurrencyMax: 64,
    seed: 1,
  }
  void c.startWorkload?.(spec)
  const t0 = performance.now()
  for (let s = 0; s < 60; s++) {
    if (s === 10) void c.kill(2).catch(() => {})
    if (s === 20)
      c.partition([
        [0, 1],
        [2, 3, 4],
      ])
    if (s === 30) c.heal()
    if (s === 35) void c.restart(2).catch(() => {})
    if (s === 45) c.setClockSkew(1, 500)
    await live.tick(1000)
    if (process.env.VERBOSE && s % 5 === 0)
      console.log(`live ${s} s: ${Math.round(performance.now() - t0)} ms`)
  }
  const recordMs = performance.now() - t0
  const doc = live.recorder.toDoc()
  const endHash = live.hash.hex()
  await live.raw.shutdown()
  const times: number[] = []
  let midHash = ''
  for (let i = 0; i < 3; i++) {
    const s0 = performance.now()
    const run = await SimScenarioRun.start(doc)
    await run.runTo(doc.durationMs / 2)
    times.push(performance.now() - s0)
    midHash = run.traceHex()
    await run.runTo(doc.durationMs)
    if (run.traceHex() !== endHash) throw new Error('replay diverged from the recorded run')
    await run.shutdown()
  }
  const gc = (globalThis as { gc?: () => void }).gc
  const heapMb = () => {
    gc?.()
    return process.memoryUsage().heapUsed / 2 ** 20
  }
  const heap0 = heapMb()
  const pool = new CheckpointPool({
    ...CHECKPOINT_DEFAULTS,
    yieldSlice: () => new Promise<void>((r) => setImmediate(r)),
  })
  const r0 = performance.now()
  pool.setTimeline(doc, true)
  await pool.whenReady()
  const rollMs = performance.now() - r0
  const ready = pool.readyTimesMs()
  const heapPerCheckpointMb = (heapMb() - heap0) / ready.length
  const fromCheckpoint: number[] = []
  for (let i = 0; i < 3; i++) {
    const s0 = performance.now()
    const run = pool.take(doc.durationMs / 2, doc)
    if (!run) throw new Error('no checkpoint before the middle')
    await run.runTo(doc.durationMs / 2)
    fromCheckpoint.push(performance.now() - s0)
    if (run.traceHex() !== midHash)
      throw new Error('a scrub from a checkpoint diverged from the straight replay')
    await run.shutdown()
    await pool.whenReady()
  }
  await pool.dispose()
  const worst = Math.max(...fromCheckpoint)
  console.log(
    JSON.stringify({
      ratePerSec: RATE,
      virtualSec: doc.durationMs / 1000,
      steps: doc.steps.length,
      recordMs: Math.round(recordMs),
      scrubToMiddleMs: times.map(Math.round),
      checkpointsSec: ready.map((t) => Math.round(t / 100) / 10),
      rollAllMs: Math.round(rollMs),
      heapPerCheckpointMb: gc ? Math.round(heapPerCheckpointMb * 10) / 10 : 'run with --expose-gc',
      scrubFromCheckpointMs: fromCheckpoint.map(Math.round),
      midHash: midHash.slice(0, 12),
    }),
  )
  console.log(`scrub back to the middle from a checkpoint < 1000 ms: ${worst < 1000 ? 'met' : 'not met'}`)
}

void main()
