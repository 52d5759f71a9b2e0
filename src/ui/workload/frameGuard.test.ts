import { describe, expect, it } from 'vitest'
import { CEILING_MIN, ceilingFloor, FrameGuard } from './frameGuard'

/** `n` frames `deltaMs` apart, from `t0`. */
function frames(g: FrameGuard, n: number, deltaMs: number, t0 = 0): number {
  let t = t0
  for (let i = 0; i < n; i++) {
    g.frame(t)
    t += deltaMs
  }
  return t
}

describe('FrameGuard', () => {
  it('one dropped frame in a sample holds the ceiling; two cut it', () => {
    const g = new FrameGuard()
    let t = 0
    const run = (n: number, deltaMs: number): void => {
      for (let i = 0; i < n; i++) {
        t += deltaMs
        g.frame(t)
      }
    }
    g.frame(t)
    run(28, 16.7)
    run(2, 50)
    expect(g.sample()).toBeCloseTo(0.8, 5)
    run(29, 16.7)
    run(1, 50)
    expect(g.sample()).toBeCloseTo(0.8, 5)
    run(30, 16.7)
    expect(g.sample()).toBeCloseTo(0.85, 5)
  })

  it('keeps the ceiling at 1 while frames are on time', () => {
    const g = new FrameGuard()
    for (let s = 0; s < 10; s++) {
      frames(g, 30, 16.7)
      expect(g.sample()).toBe(1)
    }
  })

  it('lowers the ceiling while frames run late, and raises it back once they are on time', () => {
    const g = new FrameGuard()
    let t = 0
    for (let s = 0; s < 5; s++) {
      t = frames(g, 15, 33.4, t)
      g.sample()
    }
    expect(g.ceiling).toBeCloseTo(0.8 ** 5, 5)
    for (let s = 0; s < 40; s++) {
      t = frames(g, 30, 16.7, t)
      g.sample()
    }
    expect(g.ceiling).toBe(1)
  })

  it('a starved page (a few long frames) backs off down to the floor; no frames (hidden tab) holds', () => {
    const g = new FrameGuard()
    let t = 0
    for (let s = 0; s < 40; s++) {
      t = frames(g, 3, 160, t)
      g.sample()
    }
    expect(g.ceiling).toBe(CEILING_MIN)
    expect(g.sample()).toBe(CEILING_MIN)
  })

  it('never cuts the offered rate below 500 ops/s: no guard at all at a few hundred', () => {
    expect(ceilingFloor(200)).toBe(1)
    expect(ceilingFloor(500)).toBe(1)
    expect(ceilingFloor(2000)).toBe(0.25)
    expect(ceilingFloor(20_000)).toBe(CEILING_MIN)
    const g = new FrameGuard()
    let t = 0
    for (let s = 0; s < 20; s++) {
      for (let i = 0; i < 3; i++) {
        t += 160
        g.frame(t)
      }
      g.sample(ceilingFloor(200))
    }
    expect(g.ceiling).toBe(1)
    for (let s = 0; s < 20; s++) {
      for (let i = 0; i < 3; i++) {
        t += 160
        g.frame(t)
      }
      g.sample(ceilingFloor(2000))
    }
    expect(g.ceiling).toBe(0.25)
  })
})
