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

  it('a full in-flight cap with timers on time: CPU-bound when replies are slow and no fault is in force', () => {
    const held = {
      ...base,
      opsPerSec: 5617,
      p50Ms: 180,
      offeredPerSec: 20_000,
      saturated: false,
      heldShare: 0.97,
    }
    expect(saturationNotice(held)).toBe(
      'offered 20,000 · achieved 5,617 · the machine is CPU-bound (every in-flight slot taken in 97% of generator ticks, p50 latency 180 ms; generator timers on time)',
    )
    expect(saturationNotice(held, true)).toMatch(
      /the cluster cannot keep up \(.*; the faults in effect slow it\)$/,
    )
    expect(saturationNotice({ ...held, p50Ms: 3 })).toMatch(
      /the in-flight cap limits it .*raise Max in flight/,
    )
    expect(saturationNotice({ ...held, heldShare: 0.2 })).toBeNull()
    expect(saturationNotice({ ...held, opsPerSec: 19_000 })).toBeNull()
  })

  it('the page frame guard holding the nodes back: says so, with the share admitted', () => {
    const s = { ...base, opsPerSec: 2100, offeredPerSec: 5000, saturated: false, frameCeiling: 0.41 }
    expect(saturationNotice(s)).toBe(
      "offered 5,000 · achieved 2,100 · the machine is CPU-bound (the page's frames ran late: the nodes admit 41% of the offered rate so the page keeps drawing)",
    )
    expect(saturationNotice({ ...s, frameCeiling: 1 })).toBeNull()
  })

  it('says nothing when the cluster keeps up or nothing was held back', () => {
    expect(saturationNotice(undefined)).toBeNull()
    expect(saturationNotice({ ...base, offeredPerSec: 5000, saturated: false })).toBeNull()
    expect(saturationNotice({ ...base, opsPerSec: 4900, offeredPerSec: 5000, saturated: true })).toBeNull()
  })
})
