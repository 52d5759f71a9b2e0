/**
 * The first load's gentle workload: enough to see counters, pulses, flushes and compactions move,
 * little enough to stay readable. While it runs it is the Workload panel's setting; when it stops
 * the panel's own settings come back, so a workload started later does not inherit its key count.
 */
import type { WorkloadSpec } from '../../core/workload/generator'
import type { WorkloadConfig } from '../store/workloadSlice'

/**
 * 20 ops/s, 70 % writes, over 4,000 keys of 200 B: nearly every write is a new row, so each node's
 * 8 KiB memtable fills in 3–6 s (a flush) and its level 0 holds enough tables to compact after ~13 s
 * (simulator, default 5-node page cluster: gentle.sim.test.ts; figures in ARCHITECTURE.md).
 */
export const GENTLE_WORKLOAD: WorkloadConfig = {
  ratePerSec: 20,
  readFraction: 0.3,
  distribution: 'uniform',
  keyCount: 4000,
  valueBytes: 200,
  concurrencyMax: 8,
  level: 'default',
  coordinator: 'random',
}

/** The workload's spec, as a scenario document holds it (the seed the page's runner derives). */
export function specOfConfig(c: WorkloadConfig): WorkloadSpec {
  return {
    ratePerSec: c.ratePerSec,
    readFraction: c.readFraction,
    distribution: c.distribution,
    keyCount: c.keyCount,
    valueBytes: c.valueBytes,
    ...(c.level === 'default' ? {} : { level: c.level }),
    concurrencyMax: c.concurrencyMax,
    seed: 0x5eed ^ c.keyCount,
    coordinator: c.coordinator,
  }
}

/** The page's workload settings for a spec (inverse of specOfConfig). */
export function configOfSpec(s: WorkloadSpec): WorkloadConfig {
  return {
    ratePerSec: s.ratePerSec,
    readFraction: s.readFraction,
    distribution: s.distribution,
    keyCount: s.keyCount,
    valueBytes: s.valueBytes,
    level: s.level ?? 'default',
    concurrencyMax: s.concurrencyMax,
    coordinator: s.coordinator ?? 'random',
  }
}

export const GENTLE_SPEC: WorkloadSpec = specOfConfig(GENTLE_WORKLOAD)

/** The panel's settings saved while a tour's workload runs in their place (null: none runs). */
let saved: WorkloadConfig | null = null

/** Puts `tourConfig` in place of the panel's settings, remembering them (once). */
export function borrowSettings(current: WorkloadConfig): void {
  saved ??= current
}

/** The panel's own settings when a borrowed workload is in place (else `current`); clears the loan. */
export function returnSettings(current: WorkloadConfig): WorkloadConfig {
  const back = saved ?? current
  saved = null
  return back
}

/** True while the gentle/tour workload holds the panel's settings. */
export function settingsBorrowed(): boolean {
  return saved !== null
}
