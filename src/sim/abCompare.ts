/**
 * A/B compare: two configurations run on the same seed, the same client workload and the same
 * fault schedule, each in its own simulated cluster on virtual time, each checked live
 * (verdictRun.ts) and finally after heal and quiescence. Each side returns its verdict and its
 * latency and availability per time bucket. Runs in Node (tests) and in a Web Worker of the page
 * (ui/verdict/abWorker.ts), reporting its progress.
 */
import { createSimCluster } from '../cluster/createCluster'
import type { ClusterOptions } from '../cluster/types'
import { runAntiEntropy } from '../core/antiEntropy/install'
import type { Verdict } from '../core/checker/incremental'
import type { ConsistencyLevel } from '../core/quorum/consistency'
import { type Random, seededRandom } from '../core/random'
import { quiesce } from './dynamoWorkload'
import type { SimCluster } from './simCluster'
import { checkLive } from './verdictRun'

/** One fault at a virtual time (ms from the start); nodes by index. */
export type AbFault =
  | { atMs: number; kind: 'partition'; groups: number[][] }
  | { atMs: number; kind: 'heal' }
  | { atMs: number; kind: 'kill'; node: number }
  | { atMs: number; kind: 'restart'; node: number }
  | { atMs: number; kind: 'skew'; node: number; ms: number }

export interface AbSide {
  label: string
  options: Partial<Omit<ClusterOptions, 'runtime' | 'seed' | 'numNodes'>>
  /** Level per op (default the cluster's). */
  level?: ConsistencyLevel
}

export interface AbSpec {
  name: string
  seed: number
  numNodes: number
  base: Omit<ClusterOptions, 'runtime' | 'seed' | 'numNodes'>
  a: AbSide
  b: AbSide
  schedule: AbFault[]
  processes: number
  opsPerProcess: number
  keys: number
  /** Virtual ms between a process's ops, at most. */
  thinkMsMax: number
  readFraction: number
  /** Width of a chart bucket, virtual ms. */
  bucketMs: number
}

export interface AbResult {
  label: string
  verdict: Verdict
  /** Per bucket: start (s), p50 latency of ok ops (ms, null when none), ok fraction (null when no op). */
  tSec: number[]
  p50Ms: Array<number | null>
  availability: Array<number | null>
  okOps: number
  failedOps: number
  /** Fault windows in seconds, for the charts' bands. */
  bands: Array<{ x0: number; x1: number | null; label: string }>
}

function faultText(f: AbFault): string {
  switch (f.kind) {
    case 'partition':
      return `partition ${f.groups.map((g) => g.map((i) => `node_${i}`).join(',')).join(' | ')}`
    case 'heal':
      return 'heal'
    case 'kill':
      return `kill node_${f.node}`
    case 'restart':
      return `restart node_${f.node}`
    case 'skew':
      return `node_${f.node} clock ${f.ms > 0 ? '+' : ''}${f.ms / 1000} s`
    default: {
      const never: never = f
      return String(never)
    }
  }
}

/** Fault windows: a partition or kill until the next heal or restart. */
export function faultBands(schedule: readonly AbFault[]): AbResult['bands'] {
  const out: AbResult['bands'] = []
  for (const f of schedule) {
    if (f.kind === 'partition' || f.kind === 'kill') {
      const end = schedule.find(
        (g) => g.atMs > f.atMs && (g.kind === 'heal' || (f.kind === 'kill' && g.kind === 'restart')),
      )
      out.push({ x0: f.atMs / 1000, x1: end ? end.atMs / 1000 : null, label: faultText(f) })
    }
  }
  return out
}

function apply(c: SimCluster, f: AbFault): void {
  if (f.kind === 'partition') c.partition(f.groups)
  else if (f.kind === 'heal') c.heal()
  else if (f.kind === 'kill') void c.kill(f.node).catch(() => {})
  else if (f.kind === 'restart') void c.restart(f.node).catch(() => {})
  else c.setClockSkew(f.node, f.ms)
}

interface Sample {
  atMs: number
  ok: boolean
  latencyMs: number
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** How far a run is: the side, its ops done of all, and what it is doing. */
export interface AbProgress {
  side: 0 | 1
  label: string
  opsDone: number
  opsTotal: number
  phase: 'workload' | 'final check' | 'done'
}

/** Runs one side: the workload and schedule on a fresh cluster, then heal, quiescence, final check. */
export async function runSide(
  spec: AbSpec,
  side: AbSide,
  onProgress: (p: Omit<AbProgress, 'side'>) => void = () => {},
): Promise<AbResult> {
  const c = await createSimCluster(
    { ...spec.base, ...side.options, numNodes: spec.numNodes, seed: spec.seed },
    { traceMessages: false },
  )
  c.autoDrive = false
  const live = checkLive(c)
  const t0 = c.sim.nowMs
  for (const f of spec.schedule) c.sim.schedule(f.atMs, () => apply(c, f))
  const samples: Sample[] = []
  const level = side.level ? { level: side.level } : {}
  const keys = Array.from({ length: spec.keys }, (_, i) => `key${i}`)
  let written = 0
  const proc = async (p: number, rnd: Random): Promise<void> => {
    for (let i = 0; i < spec.opsPerProcess; i++) {
      await new Promise<void>((r) => c.sim.schedule(rnd.int(spec.thinkMsMax), r))
      const key = keys[rnd.int(keys.length)]
      const node = rnd.int(spec.numNodes)
      const read = rnd.next() < spec.readFraction
      const start = c.sim.nowMs
      try {
        if (read) await c.get(node, key, level)
        else await c.put(node, key, `p${p}-${written++}`, level)
        samples.push({ atMs: start - t0, ok: true, latencyMs: c.sim.nowMs - start })
      } catch {
        samples.push({ atMs: start - t0, ok: false, latencyMs: c.sim.nowMs - start })
      }
    }
  }
  const rnd = seededRandom(spec.seed ^ 0xab)
  let done = 0
  const all = Array.from({ length: spec.processes }, (_, p) => proc(p, rnd.fork()).finally(() => done++))
  const opsTotal = spec.processes * spec.opsPerProcess
  const report = (phase: AbProgress['phase']) =>
    onProgress({ label: side.label, opsDone: samples.length, opsTotal, phase })
  let reported = -1
  while (done < spec.processes) {
    await c.runFor(50)
    // About every 5 % (a worker posts each report to the page).
    if (samples.length - reported >= Math.max(1, opsTotal / 20)) {
      reported = samples.length
      report('workload')
    }
  }
  await Promise.all(all)
  report('final check')
  await quiesce(c, (i) => runAntiEntropy(c.liveNode(i)))
  await live.finalCheck()
  report('done')
  live.stop()
  const verdict = live.verdict()
  await c.shutdown()
  const endMs = Math.max(0, ...samples.map((s) => s.atMs))
  const buckets = Math.max(1, Math.ceil((endMs + 1) / spec.bucketMs))
  const tSec: number[] = []
  const p50Ms: Array<number | null> = []
  const availability: Array<number | null> = []
  for (let b = 0; b < buckets; b++) {
    const inB = samples.filter((s) => Math.floor(s.atMs / spec.bucketMs) === b)
    tSec.push((b * spec.bucketMs) / 1000)
    p50Ms.push(median(inB.filter((s) => s.ok).map((s) => s.latencyMs)))
    availability.push(inB.length === 0 ? null : inB.filter((s) => s.ok).length / inB.length)
  }
  return {
    label: side.label,
    verdict,
    tSec,
    p50Ms,
    availability,
    okOps: samples.filter((s) => s.ok).length,
    failedOps: samples.filter((s) => !s.ok).length,
    bands: faultBands(spec.schedule),
  }
}

/** Both sides, one after the other (same seed, workload and schedule). */
export async function runAb(
  spec: AbSpec,
  onProgress: (p: AbProgress) => void = () => {},
): Promise<[AbResult, AbResult]> {
  const a = await runSide(spec, spec.a, (p) => onProgress({ ...p, side: 0 }))
  const b = await runSide(spec, spec.b, (p) => onProgress({ ...p, side: 1 }))
  return [a, b]
}

export { faultText }
