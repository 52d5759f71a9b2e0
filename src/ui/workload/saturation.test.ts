import { describe, expect, it } from 'vitest'
import type { WorkloadSample } from '../store/workloadSlice'
import { saturationNotice } from './saturation'

const base: WorkloadSample = { tSec: 1, opsPerSec: 2900, p50Ms: 5, p99Ms: 40, errorsPerSec: 0, backlog: 0 }

describe('saturationNotice', () => {
  it('names offered, achieved and what was measured when admission held ops back', () => {
    expect(
      saturationNotice({ ...base, offeredPerSec: 5000, saturated: true, lagMs: 23.4, admitFraction: 0.58 }),
    ).toBe(
      'offered 5,000 · achieved 2,900 · the machine is CPU-bound (generator timers 23 ms late; admitting 58% of the offered rate)',
    )
  })

  it('says nothing when the cluster keeps up or nothing was held back', () => {
    expect(saturationNotice(undefined)).toBeNull()
    expect(saturationNotice({ ...base, offeredPerSec: 5000, saturated: false })).toBeNull()
    expect(saturationNotice({ ...base, opsPerSec: 4900, offeredPerSec: 5000, saturated: true })).toBeNull()
  })
})
