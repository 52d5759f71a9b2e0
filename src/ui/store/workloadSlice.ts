/** Workload slice: generator settings, live samples for the charts, long-operation progress, known keys. */
import type { StateCreator } from 'zustand'
import type { ConsistencyLevel } from '../../core/quorum/consistency'
import type { KeyDistribution } from '../model/zipf'
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
}

export interface Progress {
  label: string
  done: number
  total: number
}

export const SAMPLES_MAX = 120
export const KNOWN_KEYS_MAX = 5000

export interface WorkloadSlice {
  workloadConfig: WorkloadConfig
  workloadRunning: boolean
  samples: WorkloadSample[]
  lastErrors: string[]
  progress: Progress | null
  knownKeys: string[]
  setWorkloadConfig(patch: Partial<WorkloadConfig>): void
  setWorkloadRunning(running: boolean): void
  pushSample(sample: WorkloadSample, errors: string[]): void
  clearSamples(): void
  setProgress(p: Progress | null): void
  addKeys(keys: readonly string[]): void
  removeKey(key: string): void
}

/** Adds keys to a sorted, bounded, duplicate-free list (returns the same array when nothing changes). */
export function mergeKeys(known: readonly string[], keys: readonly string[], max = KNOWN_KEYS_MAX): string[] {
  const set = new Set(known)
  let changed = false
  for (const k of keys)
    if (!set.has(k)) {
      set.add(k)
      changed = true
    }
  if (!changed) return known as string[]
  return [...set].sort().slice(0, max)
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
  },
  workloadRunning: false,
  samples: [],
  lastErrors: [],
  progress: null,
  knownKeys: [],
  setWorkloadConfig: (patch) => set((s) => ({ workloadConfig: { ...s.workloadConfig, ...patch } })),
  setWorkloadRunning: (workloadRunning) => set({ workloadRunning }),
  pushSample: (sample, errors) =>
    set((s) => ({
      samples: s.samples.concat(sample).slice(-SAMPLES_MAX),
      lastErrors: errors.length ? errors.slice(-5) : s.lastErrors,
    })),
  clearSamples: () => set({ samples: [], lastErrors: [] }),
  setProgress: (progress) => set({ progress }),
  addKeys: (keys) => set((s) => ({ knownKeys: mergeKeys(s.knownKeys, keys) })),
  removeKey: (key) => set((s) => ({ knownKeys: s.knownKeys.filter((k) => k !== key) })),
})
