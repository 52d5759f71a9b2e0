import { describe, expect, it } from 'vitest'
import { Simulator } from './simulator'

describe('Simulator.runToMs', () => {
  it('lands exactly on the instant asked for, where now + (t − now) would not', async () => {
    const a = 41.099999999999994
    const b = 312.2275692503786
    expect(a + (b - a)).not.toBe(b) // why runFor(t − now) cannot reach a recorded instant
    const sim = new Simulator()
    await sim.runFor(a)
    expect(sim.nowMs).toBe(a)
    const ran: number[] = []
    sim.schedule(b - a, () => ran.push(sim.nowMs))
    await sim.runToMs(b)
    expect(sim.nowMs).toBe(b)
    await sim.runToMs(b - 1) // never backwards
    expect(sim.nowMs).toBe(b)
  })
})
