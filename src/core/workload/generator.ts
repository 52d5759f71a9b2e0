/**
 * A workload generator that runs next to a coordinator: it issues puts and reads at a target rate
 * with bounded concurrency, over uniform or Zipfian keys, and tallies completions, errors and
 * latencies for the page to chart. In the worker runtime each node runs one for its share of the
 * rate, so client operations never cross the page: per-operation messages between the page and 16
 * workers were most of the main thread's time under load (`npm run bench:ui`). Time, timers and the
 * client are injected, like everything in the core.
 */

import type { TimerHandle, Timers } from '../env'
import { dbError, toErrorData } from '../errors'
import { CONSISTENCY_LEVELS, type ConsistencyLevel, isConsistencyLevel } from '../quorum/consistency'
import { SALT_BUCKETS_MAX, SaltTable } from '../salting'
import { showValue, unknownNameMessage } from '../suggest'
import { Admission } from './admission'
import { type KeyDistribution, keyIndexChooser, mulberry32, workloadKey } from './keys'

const SALTED_KEYS_MAX = 10_000

/** A client that salts as the cluster does: writes to the next variant, reads of every variant. */
function saltedClient(client: WorkloadClient, salted: Array<[string, number]>): WorkloadClient {
  const table = new SaltTable()
  for (const [key, buckets] of salted) table.enable(key, buckets)
  return {
    put: (key, value, level) => client.put(table.writeKey(key), value, level),
    read: (key, level) =>
      table.isSalted(key)
        ? Promise.all(table.allKeys(key).map((k) => client.read(k, level)))
        : client.read(key, level),
  }
}

export interface WorkloadSpec {
  ratePerSec: number
  /** Fraction of operations that are reads, in [0, 1]. */
  readFraction: number
  distribution: KeyDistribution
  keyCount: number
  valueBytes: number
  /** Per-operation consistency level; the cluster's when absent. */
  level?: ConsistencyLevel
  concurrencyMax: number
  seed: number
  /**
   * Who coordinates each op: the node the generator runs on ('random', the default: any node, as
   * Dynamo) or one of the key's owners ('token-aware', as a token-aware driver sends it).
   */
  coordinator?: WorkloadCoordinator
  /**
   * Salted keys and their bucket counts (the cluster's enableSalt / markHotKey): writes go round-robin
   * to `i#key`, reads ask every variant, as the Cluster API's own put and get do.
   */
  salted?: Array<[string, number]>
}

export type WorkloadCoordinator = 'random' | 'token-aware'

export interface WorkloadClient {
  put(key: string, value: string, level?: ConsistencyLevel): Promise<unknown>
  read(key: string, level?: ConsistencyLevel): Promise<unknown>
  /**
   * A token-aware generator on a node: only keys this node owns are issued here; the others are
   * skipped, since the key's other owners' generators draw them too. Each of a key's N owners then
   * issues it at its candidate rate times the key's probability, so the cluster's mix keeps the
   * spec's distribution when every generator draws candidates at the cluster's rate ÷ N (the
   * runtime's split) — and no op is forwarded (two messages between threads each).
   */
  owns?(key: string): boolean
}

/** What completed since the last `take()`. */
export interface WorkloadTally {
  done: number
  errors: number
  /** The first few errors, as "CODE: message". */
  errorCodes: string[]
  latenciesMs: number[]
  /**
   * Operations per key (the unsalted key), so the cluster's hot-spot metrics count the node-side
   * workload too; at most KEY_OPS_MAX keys per tally, the rest in `keyOpsDropped`.
   */
  keyOps?: Record<string, number>
  keyOpsDropped?: number
  /** Operations the spec's rate offered in the period, and whether admission control held some back. */
  offered?: number
  saturated?: boolean
  /** The generator timer's smoothed lateness (ms; the saturation signal), and the admitted fraction. */
  lagMs?: number
  admitFraction?: number
  /**
   * Generator ticks in the period, and those that ended with ops due but the in-flight cap full: ops
   * wait on replies instead of being issued (the cluster serves less than it is offered; on a
   * machine whose timers still fire on time, the signal that shows saturation).
   */
  ticks?: number
  heldTicks?: number
  /** The admitted fraction's bound from the page's frame guard (Admission.setCeiling); 1 = none. */
  ceiling?: number
}

const TICK_MS = 20
const LATENCIES_MAX = 2000
const ERROR_CODES_MAX = 5
/** Distinct keys counted per tally (a node reports its tally every 100 ms). */
const KEY_OPS_MAX = 4096

/** Bounds of a workload spec (a Zipfian CDF holds 8 bytes per key; ops per second per cluster). */
export const WORKLOAD_LIMITS = {
  ratePerSecMax: 1_000_000,
  keyCountMax: 1_000_000,
  valueBytesMax: 16 * 1024 * 1024,
  concurrencyMax: 100_000,
} as const

const SPEC_KEYS = [
  'ratePerSec',
  'readFraction',
  'distribution',
  'keyCount',
  'valueBytes',
  'level',
  'concurrencyMax',
  'seed',
  'coordinator',
  'salted',
] as const satisfies ReadonlyArray<keyof WorkloadSpec>

/** Throws BAD_INPUT (naming the field, the value and what is allowed) unless the spec is usable. */
export function validateWorkloadSpec(spec: WorkloadSpec): void {
  const bad = (what: string): never => {
    throw dbError('BAD_INPUT', `workload ${what}`, { spec: showValue(spec) })
  }
  if (typeof spec !== 'object' || spec === null) bad(`spec must be an object, got ${showValue(spec)}`)
  for (const k of Object.keys(spec))
    if (!(SPEC_KEYS as readonly string[]).includes(k)) bad(unknownNameMessage('field', k, SPEC_KEYS))
  const num = (name: keyof WorkloadSpec, ok: (x: number) => boolean, allowed: string): void => {
    const x = spec[name]
    if (typeof x !== 'number' || !ok(x)) bad(`${name} must be ${allowed}, got ${showValue(x)}`)
  }
  const L = WORKLOAD_LIMITS
  num('ratePerSec', (x) => x >= 0 && x <= L.ratePerSecMax, `a number between 0 and ${L.ratePerSecMax}`)
  num('readFraction', (x) => x >= 0 && x <= 1, 'a number between 0 and 1')
  const int = (x: number, min: number, max: number): boolean => Number.isInteger(x) && x >= min && x <= max
  num('keyCount', (x) => int(x, 1, L.keyCountMax), `an integer between 1 and ${L.keyCountMax}`)
  num('valueBytes', (x) => int(x, 0, L.valueBytesMax), `an integer between 0 and ${L.valueBytesMax}`)
  num('concurrencyMax', (x) => int(x, 1, L.concurrencyMax), `an integer between 1 and ${L.concurrencyMax}`)
  num('seed', (x) => Number.isInteger(x), 'an integer')
  if (spec.distribution !== 'uniform' && spec.distribution !== 'zipfian')
    bad(`distribution must be 'uniform' or 'zipfian', got ${showValue(spec.distribution)}`)
  if (spec.coordinator !== undefined && spec.coordinator !== 'random' && spec.coordinator !== 'token-aware')
    bad(`coordinator must be 'random' or 'token-aware', got ${showValue(spec.coordinator)}`)
  if (
    spec.salted !== undefined &&
    (!Array.isArray(spec.salted) ||
      spec.salted.length > SALTED_KEYS_MAX ||
      !spec.salted.every(
        (e) =>
          Array.isArray(e) &&
          typeof e[0] === 'string' &&
          Number.isInteger(e[1]) &&
          e[1] >= 2 &&
          e[1] <= SALT_BUCKETS_MAX,
      ))
  )
    bad(
      `salted must be at most ${SALTED_KEYS_MAX} [key, buckets] pairs (buckets 2 to ${SALT_BUCKETS_MAX}), got ${showValue(spec.salted)}`,
    )
  if (spec.level !== undefined && !isConsistencyLevel(spec.level))
    bad(`level must be one of ${CONSISTENCY_LEVELS.join(', ')}, got ${showValue(spec.level)}`)
}

export class WorkloadGenerator {
  private timer: TimerHandle | undefined
  private inFlight = 0
  private due = 0
  private seq = 0
  private last: number
  private tally: WorkloadTally = { done: 0, errors: 0, errorCodes: [], latenciesMs: [] }
  private readonly rand: () => number
  private readonly pick: () => number
  private readonly payload: string
  private stopped = false
  private readonly client: WorkloadClient
  private readonly admission = new Admission()
  /** Candidates drawn and issued (differ only with an `owns` filter): the offered share is their ratio. */
  private drawn = 0
  private issued = 0

  constructor(
    readonly spec: WorkloadSpec,
    client: WorkloadClient,
    private readonly timers: Timers,
    private readonly nowMs: () => number,
  ) {
    validateWorkloadSpec(spec)
    this.client = spec.salted?.length ? { ...saltedClient(client, spec.salted), owns: client.owns } : client
    this.rand = mulberry32(spec.seed)
    this.pick = keyIndexChooser(spec.distribution, spec.keyCount, this.rand)
    this.payload = 'x'.repeat(Math.max(0, spec.valueBytes - 8))
    this.last = nowMs()
    this.arm()
  }

  /** Stops issuing; operations in flight still land in the tally. */
  stop(): void {
    this.stopped = true
    if (this.timer !== undefined) this.timers.clear(this.timer)
    this.timer = undefined
  }

  get running(): boolean {
    return !this.stopped
  }

  get operationsInFlight(): number {
    return this.inFlight
  }

  /** Bounds the admitted fraction (the page's frame guard; see Admission.setCeiling). */
  setCeiling(fraction: number): void {
    this.admission.setCeiling(fraction)
  }

  /** The tally since the last call (then starts a new one). */
  take(): WorkloadTally {
    const t = this.tally
    const a = this.admission.state()
    t.lagMs = a.lagMs
    t.admitFraction = a.fraction
    t.ceiling = a.ceiling
    t.saturated = (t.saturated ?? false) || a.saturated
    this.tally = { done: 0, errors: 0, errorCodes: [], latenciesMs: [] }
    return t
  }

  private arm(): void {
    this.timer = this.timers.set(TICK_MS, () => {
      if (this.stopped) return
      this.tick()
      this.arm()
    })
  }

  private tick(): void {
    const now = this.nowMs()
    const { ratePerSec, concurrencyMax } = this.spec
    const elapsedMs = now - this.last
    // Admission control (admission.ts): a late tick means this thread cannot keep up.
    this.admission.tick(elapsedMs - TICK_MS)
    const admitted = this.admission.admitted(ratePerSec)
    const share = this.drawn > 0 ? this.issued / this.drawn : 1
    this.tally.offered = (this.tally.offered ?? 0) + (ratePerSec * share * elapsedMs) / 1000
    if (this.admission.saturated()) this.tally.saturated = true
    this.due = Math.min(this.due + (admitted * elapsedMs) / 1000, Math.max(1, admitted))
    this.last = now
    const inFlightCap = this.admission.inFlightCap(concurrencyMax)
    const owns = this.client.owns
    while (this.due >= 1 && this.inFlight < inFlightCap) {
      this.due--
      const key = workloadKey(this.pick())
      this.drawn++
      if (owns && !owns(key)) continue
      this.issued++
      this.issue(key)
    }
    this.tally.ticks = (this.tally.ticks ?? 0) + 1
    if (this.due >= 1) this.tally.heldTicks = (this.tally.heldTicks ?? 0) + 1
  }

  private issue(key: string): void {
    const level = this.spec.level
    const started = this.nowMs()
    this.inFlight++
    countKeyOp(this.tally, key)
    const op =
      this.rand() < this.spec.readFraction
        ? this.client.read(key, level)
        : this.client.put(key, `${(++this.seq).toString(36).padStart(8, '0')}${this.payload}`, level)
    op.then(
      () => {
        const t = this.tally
        t.done++
        const ms = this.nowMs() - started
        this.admission.noteLatency(ms)
        if (t.latenciesMs.length < LATENCIES_MAX) t.latenciesMs.push(ms)
      },
      (e: unknown) => {
        const t = this.tally
        t.errors++
        if (t.errorCodes.length < ERROR_CODES_MAX) {
          const d = toErrorData(e)
          t.errorCodes.push(`${d.code}: ${d.message}`)
        }
      },
    ).finally(() => {
      this.inFlight--
    })
  }
}

/** Counts one operation on `key` in the tally (bounded; see WorkloadTally.keyOps). */
function countKeyOp(t: WorkloadTally, key: string, n = 1): void {
  t.keyOps ??= {}
  const had = t.keyOps[key]
  const distinct = keyCounts.get(t.keyOps) ?? Object.keys(t.keyOps).length
  if (had === undefined && distinct >= KEY_OPS_MAX) {
    t.keyOpsDropped = (t.keyOpsDropped ?? 0) + n
    return
  }
  if (had === undefined) keyCounts.set(t.keyOps, distinct + 1)
  t.keyOps[key] = (had ?? 0) + n
}

/** Distinct keys per keyOps record, so counting stays O(1) per operation. */
const keyCounts = new WeakMap<Record<string, number>, number>()

/** Adds `b` into `a` (the page merges the tallies of every node's generator). */
export function mergeTally(a: WorkloadTally, b: WorkloadTally): WorkloadTally {
  for (const [k, n] of Object.entries(b.keyOps ?? {})) countKeyOp(a, k, n)
  if (b.keyOpsDropped) a.keyOpsDropped = (a.keyOpsDropped ?? 0) + b.keyOpsDropped
  a.done += b.done
  a.errors += b.errors
  if (b.offered !== undefined) a.offered = (a.offered ?? 0) + b.offered
  if (b.saturated) a.saturated = true
  if (b.ticks) a.ticks = (a.ticks ?? 0) + b.ticks
  if (b.heldTicks) a.heldTicks = (a.heldTicks ?? 0) + b.heldTicks
  if (b.lagMs !== undefined) a.lagMs = Math.max(a.lagMs ?? 0, b.lagMs)
  if (b.admitFraction !== undefined) a.admitFraction = Math.min(a.admitFraction ?? 1, b.admitFraction)
  if (b.ceiling !== undefined) a.ceiling = Math.min(a.ceiling ?? 1, b.ceiling)
  for (const c of b.errorCodes) if (a.errorCodes.length < ERROR_CODES_MAX) a.errorCodes.push(c)
  for (const l of b.latenciesMs) if (a.latenciesMs.length < LATENCIES_MAX * 8) a.latenciesMs.push(l)
  return a
}

export function emptyTally(): WorkloadTally {
  return { done: 0, errors: 0, errorCodes: [], latenciesMs: [] }
}
