/** Workload slice: generator settings, live samples for the charts, long-operation progress. */
import type { StateCreator } from 'zustand'
import type { ConsistencyLevel } from '../../core/quorum/consistency'
import type { WorkloadCoordinator } from '../../core/workload/generator'
import type { KeyDistribution } from '../../core/workload/keys'
import type { AppState } from './store'

export interface WorkloadConfig {
  ratePerSec: number
  /** Fraction of operations that are reads, in [0, 1]. */
  readFraction: number
  distribution: KeyDistribution
  valueBytes: number
  keyCount: number
  level: ConsistencyLevel | 'default'
  concurrencyMax: number
  /** 'token-aware': each op is coordinated by one of its key's owners (through the driver). */
  coordinator: WorkloadCoordinator
  /**
   * false: the page's frames do not bound what the worker nodes admit (ui/workload/frameGuard.ts;
   * on when absent). For benchmarks that compare CPU per op at one offered load.
   */
  frameGuard?: boolean
}

export interface WorkloadSample {
  /** Seconds since the workload started. */
  tSec: number
  opsPerSec: number
  p50Ms: number
  p99Ms: number
  errorsPerSec: number
  /** Total replication backlog over all nodes (ops not yet acknowledged by peers). */
  backlog: number
  /** The rate the settings offer (ops/s), and whether admission control held operations back. */
  offeredPerSec?: number
  saturated?: boolean
  /** How late the generators' timers ran (ms, the worst thread) and the fraction they admitted. */
  lagMs?: number
  admitFraction?: number
  /** Share of generator ticks that ended with ops due and every in-flight slot taken (0–1). */
  heldShare?: number
  /** The page's frame guard's bound on the admitted fraction (worker runtime; 1 = none). */
  frameCeiling?: number
}

export interface Progress {
  label: string
  done: number
  total: number
}

export const SAMPLES_MAX = 120

export interface WorkloadSlice {
  workloadConfig: WorkloadConfig
  workloadRunning: boolean
  samples: WorkloadSample[]
  /** performance.now() when the samples' tSec is 0 (fault bands are placed against it). */
  samplesOriginMs: number
  lastErrors: string[]
  progress: Progress | null
  setWorkloadConfig(patch: Partial<WorkloadConfig>): void
  setWorkloadRunning(running: boolean): void
  setSamplesOrigin(originMs: number): void
  pushSample(sample: WorkloadSample, errors: string[]): void
  clearSamples(): void
  setProgress(p: Progress | null): void
}

export const workloadSlice: StateCreator<AppState, [], [], WorkloadSlice> = (set) => ({
  workloadConfig: {
    ratePerSec: 200,
    readFraction: 0.5,
    distribution: 'zipfian',
    valueBytes: 64,
    keyCount: 200,
    level: 'default',
    concurrencyMax: 64,
    coordinator: 'random',
  },
  workloadRunning: false,
  samples: [],
  samplesOriginMs: 0,
  lastErrors: [],
  progress: null,
  setWorkloadConfig: (patch) => set((s) => ({ workloadConfig: { ...s.workloadConfig, ...patch } })),
  setWorkloadRunning: (workloadRunning) => set({ workloadRunning }),
  setSamplesOrigin: (samplesOriginMs) => set({ samplesOriginMs }),
  pushSample: (sample, errors) =>
    set((s) => ({
      samples: s.samples.concat(sample).slice(-SAMPLES_MAX),
      lastErrors: errors.length ? errors.slice(-5) : s.lastErrors,
    })),
  clearSamples: () => set({ samples: [], lastErrors: [] }),
  setProgress: (progress) => set({ progress }),
})
