/**
 * Recording: every Cluster API call that changes the run (the ACTIONS of schema.ts), whoever makes it
 * (canvas, menus, console, setup, `window.playground.cluster`, the workload panel), is appended with
 * its cluster time. The page wraps its live cluster in `recordingCluster` once, where it attaches it,
 * so there is one place actions pass. Reads count too: they may repair replicas.
 */
import * as v from 'valibot'
import type { Cluster, ClusterOptions } from '../cluster/types'
import type { WorkloadSpec } from '../core/workload/generator'
import {
  type ActionName,
  isActionName,
  SCENARIO_VERSION,
  type ScenarioDoc,
  type ScenarioStep,
  STEPS_MAX,
  StepSchema,
} from './schema'

/** JSON form of call arguments: plain data, no trailing undefined (JSON would turn it into null). */
function plainArgs(args: readonly unknown[]): unknown[] | null {
  let n = args.length
  while (n > 0 && args[n - 1] === undefined) n--
  try {
    return JSON.parse(JSON.stringify(args.slice(0, n))) as unknown[]
  } catch {
    return null
  }
}

export class Recorder {
  readonly steps: ScenarioStep[] = []
  /** Calls that could not be recorded (not schema-valid, or past STEPS_MAX). */
  skipped = 0
  /** Bumped on every change (the page re-renders the count). */
  version = 0
  private listeners = new Set<() => void>()

  constructor(
    readonly header: {
      seed: number
      runtime: 'sim' | 'worker'
      options: ClusterOptions
      workload: WorkloadSpec | null
    },
    /** Cluster time now (virtual ms in the simulator). */
    private readonly nowMs: () => number,
    /** Cluster time of t = 0 for this recording (worker runtime: when it began). */
    readonly originMs = 0,
  ) {}

  /** Called before each append (the page branches a scrubbed-back run here). */
  beforeAppend: (() => void) | null = null

  /** Appends a call made now; false when it is not recordable. */
  append(action: ActionName, args: readonly unknown[]): boolean {
    this.beforeAppend?.()
    const plain = plainArgs(args)
    const at = Math.max(0, this.nowMs() - this.originMs)
    const step = { at, action, args: plain }
    if (!plain || this.steps.length >= STEPS_MAX || !v.safeParse(StepSchema, step).success) {
      this.skipped++
      this.changed()
      return false
    }
    this.steps.push(step as ScenarioStep)
    this.changed()
    return true
  }

  /** Drops every step after `atMs` (a branch from an earlier moment). */
  truncateAfter(atMs: number): void {
    let n = this.steps.length
    while (n > 0 && this.steps[n - 1].at > atMs) n--
    if (n === this.steps.length) return
    this.steps.length = n
    this.changed()
  }

  /** The run so far as a document, ending now (or at `endMs`). */
  toDoc(endMs = this.nowMs() - this.originMs): ScenarioDoc {
    const last = this.steps.at(-1)?.at ?? 0
    return {
      version: SCENARIO_VERSION,
      seed: this.header.seed,
      runtime: this.header.runtime,
      options: { ...(this.header.options as unknown as Record<string, unknown>) },
      workload: this.header.workload,
      steps: this.steps.slice(),
      durationMs: Math.max(last, endMs),
    }
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private changed(): void {
    this.version++
    for (const l of this.listeners) l()
  }
}

/**
 * The cluster with every recordable call appended to `rec` before it runs (the cluster's own inner
 * calls are not seen: methods run bound to the real cluster). `time.step` is recorded as 'step'.
 */
export function recordingCluster<C extends Cluster>(cluster: C, rec: Recorder): C {
  let time: Cluster['time'] | null = null
  return new Proxy(cluster, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target)
      if (prop === 'time') {
        time ??= new Proxy(value as Cluster['time'], {
          get(t, p) {
            const x = Reflect.get(t, p, t)
            if (p !== 'step' || typeof x !== 'function') return typeof x === 'function' ? x.bind(t) : x
            return () => {
              rec.append('step', [])
              return x.call(t)
            }
          },
        })
        return time
      }
      if (typeof value !== 'function') return value
      if (typeof prop === 'string' && isActionName(prop))
        return (...args: unknown[]) => {
          rec.append(prop, args)
          return value.apply(target, args)
        }
      return value.bind(target)
    },
  })
}
