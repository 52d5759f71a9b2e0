/** The gentle workload's settings stand in for the panel's while it runs, and give them back. */
import { describe, expect, it } from 'vitest'
import { validateWorkloadSpec } from '../../core/workload/generator'
import type { WorkloadConfig } from '../store/workloadSlice'
import {
  borrowSettings,
  configOfSpec,
  GENTLE_SPEC,
  GENTLE_WORKLOAD,
  returnSettings,
  settingsBorrowed,
  specOfConfig,
} from './gentle'

const PANEL: WorkloadConfig = { ...GENTLE_WORKLOAD, ratePerSec: 200, keyCount: 200, valueBytes: 64 }

describe('gentle workload settings', () => {
  it('spec and config convert both ways; the spec is valid with the runner’s seed', () => {
    validateWorkloadSpec(GENTLE_SPEC)
    expect(GENTLE_SPEC.seed).toBe(0x5eed ^ GENTLE_WORKLOAD.keyCount)
    expect(configOfSpec(specOfConfig(GENTLE_WORKLOAD))).toEqual(GENTLE_WORKLOAD)
  })

  it('the panel’s settings are remembered once and come back when asked', () => {
    expect(settingsBorrowed()).toBe(false)
    expect(returnSettings(GENTLE_WORKLOAD)).toBe(GENTLE_WORKLOAD) // nothing borrowed: as it is
    borrowSettings(PANEL)
    borrowSettings(GENTLE_WORKLOAD) // a second tour's workload keeps the first loan
    expect(settingsBorrowed()).toBe(true)
    expect(returnSettings(GENTLE_WORKLOAD)).toBe(PANEL)
    expect(settingsBorrowed()).toBe(false)
  })
})
