import { describe, expect, it } from 'vitest'
import { Admission } from './admission'

describe('Admission', () => {
  it('admits everything while timers are on time and ops are fast', () => {
    const a = new Admission()
    for (let i = 0; i < 100; i++) {
      a.tick(1)
      a.noteLatency(5)
    }
    expect(a.state()).toMatchObject({ fraction: 1, saturated: false })
    expect(a.admitted(5000)).toBe(5000)
  })

  it('backs off when the timer runs late, and recovers once it is on time again', () => {
    const a = new Admission()
    for (let i = 0; i < 50; i++) a.tick(40)
    expect(a.state().saturated).toBe(true)
    expect(a.admitted(20_000)).toBeLessThan(2_000)
    expect(a.inFlightCap(1024)).toBeLessThan(100)
    for (let i = 0; i < 200; i++) a.tick(0)
    expect(a.state()).toMatchObject({ fraction: 1, saturated: false })
  })

  it('slow operations alone (a slow link, a partition) do not throttle', () => {
    const a = new Admission()
    for (let i = 0; i < 400; i++) a.noteLatency(800)
    for (let i = 0; i < 20; i++) a.tick(0)
    expect(a.state()).toMatchObject({ saturated: false, fraction: 1 })
    expect(a.state().latencyMs).toBeGreaterThan(700)
  })

  it('a ceiling from outside (the page frame guard) bounds the rate and the in-flight cap, and lifts', () => {
    const a = new Admission()
    a.tick(0)
    a.setCeiling(0.25)
    expect(a.admitted(4000)).toBe(1000)
    expect(a.inFlightCap(64)).toBe(16)
    expect(a.state()).toMatchObject({ fraction: 0.25, ceiling: 0.25, saturated: false })
    a.setCeiling(0)
    expect(a.state().ceiling).toBe(0.02)
    a.setCeiling(Number.NaN)
    expect(a.admitted(4000)).toBe(4000)
  })
})
