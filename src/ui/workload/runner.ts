/**
 * The workload generator: issues client operations at a target rate against random live nodes, with
 * bounded concurrency, and turns completions into chart samples twice a second. In the worker runtime
 * the nodes run the generator themselves (core/workload/generator.ts) and this only charts their
 * tallies; in the simulator the page issues the operations.
 */
import { createDriver, type Driver } from '../../cluster/driver'
import type { Cluster } from '../../cluster/types'
import { toErrorData } from '../../core/errors'
import { Admission } from '../../core/workload/admission'
import { validateWorkloadSpec, type WorkloadSpec } from '../../core/workload/generator'
import { keyIndexChooser, mulberry32, workloadKey } from '../../core/workload/keys'
import { useStore } from '../store/store'
import type { WorkloadConfig } from '../store/workloadSlice'
import { asSource } from '../verdict/liveVerdict'
import { ceilingFloor, FrameGuard, watchFrames } from './frameGuard'
import { percentile } from './stats'

const TICK_MS = 50
const SAMPLE_MS = 500
const LATENCIES_MAX = 20_000

let running: { stop(): void } | null = null

/**
 * Every op's latency since `markLatencies()` (null: not measuring), for a run's percentiles: the
 * samples keep one p99 per 500 ms, and the worst of those is about a p99.9 of the run, not its p99.
 */
let windowLatencies: number[] | null = null
const WINDOW_LATENCIES_MAX = 500_000

/** Starts collecting every op's latency (drops what was collected). */
export function markLatencies(): void {
  windowLatencies = []
}

/** p50 / p99 of the ops completed since `markLatencies()`, and how many (null before a mark). */
export function latenciesSinceMark(): { p50Ms: number; p99Ms: number; ops: number } | null {
  if (!windowLatencies) return null
  return {
    p50Ms: percentile(windowLatencies, 50),
    p99Ms: percentile(windowLatencies, 99),
    ops: windowLatencies.length,
  }
}

/** Keeps one op's latency for the sample's percentiles (at most `max`) and for the marked window. */
function noteLatency(sample: number[], max: number, ms: number): void {
  if (sample.length < max) sample.push(ms)
  if (windowLatencies && windowLatencies.length < WINDOW_LATENCIES_MAX) windowLatencies.push(ms)
}

export function isWorkloadRunning(): boolean {
  return running !== null
}

/** Starts (or restarts) the workload on the live cluster. */
function specOf(cfg: WorkloadConfig): WorkloadSpec {
  return {
    ratePerSec: cfg.ratePerSec,
    readFraction: cfg.readFraction,
    distribution: cfg.distribution,
    keyCount: cfg.keyCount,
    valueBytes: cfg.valueBytes,
    level: cfg.level === 'default' ? undefined : cfg.level,
    concurrencyMax: cfg.concurrencyMax,
    seed: 0x5eed ^ cfg.keyCount,
    coordinator: cfg.coordinator,
  }
}

/**
 * Workload time per page ms: the simulator's speed (0 while paused), so the rate is in virtual time
 * (10× looks 10× faster); 1 in real time.
 */
export function workloadTimeScale(time: {
  kind: 'virtual' | 'real'
  paused: boolean
  speed: number
}): number {
  if (time.kind === 'real') return 1
  return time.paused ? 0 : time.speed
}

/** Starts (or restarts) the workload on the live cluster; later changes to the settings apply live. */
export function startWorkload(cluster: Cluster, initial: WorkloadConfig): void {
  stopWorkload()
  let cfg = initial
  let spec: WorkloadSpec = specOf(cfg)
  // One rule for both runtimes: the worker runtime checks the spec again on the nodes.
  try {
    validateWorkloadSpec(spec)
  } catch (e) {
    useStore.getState().setError(toErrorData(e))
    return
  }
  const rand = mulberry32(0x5eed ^ cfg.keyCount)
  let pick = keyIndexChooser(cfg.distribution, cfg.keyCount, rand)
  let opts = cfg.level === 'default' ? {} : { level: cfg.level }
  let payload = 'x'.repeat(Math.max(0, cfg.valueBytes - 8))
  const generation = useStore.getState().generation
  const store = useStore.getState()
  store.clearSamples()
  store.setWorkloadRunning(true)
  store.setSamplesOrigin(performance.now())
  let inFlight = 0
  let due = 0
  let seq = 0
  let last = performance.now()
  const t0 = last
  let sampleStart = last
  let done = 0
  let errors = 0
  let errorCodes: string[] = []
  let latencies: number[] = []
  // The page's own generator (simulator runtime) backs off the same way the nodes' do.
  const admission = new Admission()
  let offered = 0
  let saturated = false
  let lagMs = 0
  let admitFraction = 1
  let ticks = 0
  let heldTicks = 0
  // Token-aware (simulator, where the page issues ops): through a driver, straight to an owner.
  const nodeSideRuns = !!(cluster.startWorkload && cluster.takeWorkloadTally)
  const driver: Driver | null =
    cfg.coordinator === 'token-aware' && !nodeSideRuns
      ? createDriver(cluster, { loadBalanceReads: true })
      : null

  const issue = (live: readonly string[]): void => {
    if (live.length === 0) {
      errors++
      return
    }
    const node = live[Math.floor(rand() * live.length)]
    const key = workloadKey(pick())
    inFlight++
    const value = (): string => `${(++seq).toString(36).padStart(8, '0')}${payload}`
    const p = asSource('workload', () =>
      driver
        ? rand() < cfg.readFraction
          ? driver.read(null, key, opts)
          : driver.put(null, key, value(), opts)
        : rand() < cfg.readFraction
          ? cluster.read(node, key, opts)
          : cluster.put(node, key, value(), opts),
    )
    p.then(
      (r) => {
        done++
        noteLatency(latencies, LATENCIES_MAX, r.latencyMs)
      },
      (e) => {
        errors++
        if (errorCodes.length < 5) errorCodes.push(`${toErrorData(e).code}: ${toErrorData(e).message}`)
      },
    ).finally(() => {
      inFlight--
    })
  }

  // Where the cluster can run the generator on its nodes (worker runtime), it does: client operations
  // then never cross the page. Its share per node is re-split whenever the set of live nodes changes.
  const nodeSide = cluster.startWorkload && cluster.takeWorkloadTally ? cluster : null
  // Worker runtime: the page's own frames bound what the nodes admit (frameGuard.ts). Not in the
  // simulator, whose workload is part of the deterministic run (and runs on the page's thread).
  const guard =
    nodeSide?.setWorkloadCeiling && cluster.time.kind === 'real' && cfg.frameGuard !== false
      ? new FrameGuard()
      : null
  // The rAF loop runs only while the rate is one the guard may cut (it keeps the page drawing 60
  // frames a second, which costs the cores something).
  let unwatchFrames: (() => void) | null = null
  // NaN: the first sample always sends (a node keeps the last workload's ceiling).
  let ceilingSent = Number.NaN
  let liveSignature = ''
  const splitAcross = (live: readonly string[]): void => {
    const signature = live.join(',')
    if (signature === liveSignature) return
    liveSignature = signature
    nodeSide?.startWorkload?.(spec).catch((e: unknown) => {
      errors++
      if (errorCodes.length < 5) errorCodes.push(`${toErrorData(e).code}: ${toErrorData(e).message}`)
    })
  }

  /** Settings changed while running: apply them now (the node-side generators are restarted). */
  const apply = (next: WorkloadConfig): void => {
    const nextSpec = specOf(next)
    try {
      validateWorkloadSpec(nextSpec)
    } catch {
      return // the panel shows the field's error; the running settings stay
    }
    if (next.keyCount !== cfg.keyCount || next.distribution !== cfg.distribution)
      pick = keyIndexChooser(next.distribution, next.keyCount, rand)
    opts = next.level === 'default' ? {} : { level: next.level }
    payload = 'x'.repeat(Math.max(0, next.valueBytes - 8))
    cfg = next
    spec = nextSpec
    liveSignature = ''
  }

  const tick = (): void => {
    const now = performance.now()
    const st0 = useStore.getState()
    if (st0.generation !== generation) {
      stopWorkload()
      return
    }
    if (st0.workloadConfig !== cfg) apply(st0.workloadConfig)
    const scale = workloadTimeScale(cluster.time)
    if (!nodeSide) {
      admission.tick(now - last - TICK_MS)
      if (admission.saturated()) saturated = true
    }
    const rate = nodeSide ? cfg.ratePerSec : admission.admitted(cfg.ratePerSec)
    offered += (cfg.ratePerSec * scale * (now - last)) / 1000
    due = Math.min(due + (rate * scale * (now - last)) / 1000, rate * Math.max(1, scale))
    last = now
    // The live-node list once per tick, not once per operation (up to 250 operations per tick).
    const st = useStore.getState()
    const live = st.members.filter((id) => st.snapshots[id]?.status === 'up')
    if (nodeSide) splitAcross(live)
    else {
      while (due >= 1 && inFlight < admission.inFlightCap(cfg.concurrencyMax)) {
        due--
        issue(live)
      }
      ticks++
      if (due >= 1) heldTicks++
    }
    if (now - sampleStart >= SAMPLE_MS) {
      const tally = nodeSide?.takeWorkloadTally?.()
      if (tally) {
        done += tally.done
        errors += tally.errors
        for (const c of tally.errorCodes) if (errorCodes.length < 5) errorCodes.push(c)
        for (const l of tally.latenciesMs) noteLatency(latencies, LATENCIES_MAX, l)
        if (tally.saturated) saturated = true
        lagMs = tally.lagMs ?? 0
        admitFraction = tally.admitFraction ?? 1
        ticks += tally.ticks ?? 0
        heldTicks += tally.heldTicks ?? 0
      } else if (!nodeSide) {
        const a = admission.state()
        lagMs = a.lagMs
        admitFraction = a.fraction
      }
      if (guard) {
        const floor = ceilingFloor(cfg.ratePerSec)
        if (floor < 1 && !unwatchFrames) unwatchFrames = watchFrames(guard)
        if (floor >= 1 && unwatchFrames) {
          unwatchFrames?.()
          unwatchFrames = null
        }
        const c = guard.sample(
          floor,
          typeof document === 'undefined' || document.visibilityState !== 'hidden',
        )
        // Re-sent while below 1, so a node restarted meanwhile gets it too.
        if (c !== ceilingSent || c < 1) nodeSide?.setWorkloadCeiling?.(c).catch(() => {})
        ceilingSent = c
      }
      const s = useStore.getState()
      const secs = (now - sampleStart) / 1000
      let backlog = 0
      for (const snap of Object.values(s.snapshots))
        for (const v of Object.values(snap.replogByPeer)) backlog += v
      s.pushSample(
        {
          tSec: (now - t0) / 1000,
          opsPerSec: done / secs,
          p50Ms: percentile(latencies, 50),
          p99Ms: percentile(latencies, 99),
          errorsPerSec: errors / secs,
          backlog,
          offeredPerSec: offered / secs,
          saturated,
          lagMs,
          admitFraction,
          heldShare: ticks > 0 ? heldTicks / ticks : 0,
          ...(guard ? { frameCeiling: guard.ceiling } : {}),
        },
        errorCodes,
      )
      sampleStart = now
      offered = 0
      saturated = false
      ticks = 0
      heldTicks = 0
      done = 0
      errors = 0
      errorCodes = []
      latencies = []
    }
  }
  const timer = setInterval(tick, TICK_MS)
  running = {
    stop() {
      clearInterval(timer)
      unwatchFrames?.()
      driver?.close()
      nodeSide?.stopWorkload?.().catch(() => {})
    },
  }
}

export function stopWorkload(): void {
  running?.stop()
  running = null
  useStore.getState().setWorkloadRunning(false)
}

/** Writes `n` keys with bounded concurrency, showing a progress bar. */
export async function bulkLoad(
  cluster: Cluster,
  n: number,
  valueBytes: number,
  concurrency = 16,
): Promise<number> {
  const store = useStore.getState()
  const label = `Bulk loading ${n} keys`
  let next = 0
  let finished = 0
  let failed = 0
  const payload = 'v'.repeat(Math.max(1, valueBytes))
  store.setProgress({ label, done: 0, total: n })
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++
      const live = useStore
        .getState()
        .members.filter((id) => useStore.getState().snapshots[id]?.status === 'up')
      try {
        await cluster.put(live[i % Math.max(1, live.length)] ?? 0, workloadKey(i), payload)
      } catch {
        failed++
      }
      finished++
      if (finished % 10 === 0 || finished === n)
        useStore.getState().setProgress({ label, done: finished, total: n })
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  useStore.getState().setProgress(null)
  return failed
}
