import { describe, expect, it } from 'vitest'
import { boundsOf, fitViewport } from './viewport'

describe('fitViewport', () => {
  const pad = { top: 40, right: 10, bottom: 90, left: 10 }
  it('scales the drawing to the padded canvas and centres it', () => {
    const v = fitViewport({ x: 0, y: 0, w: 1000, h: 500 }, { w: 1020, h: 1000 }, pad, 2)
    expect(v.zoom).toBeCloseTo(1)
    expect(v.x).toBeCloseTo(10)
    expect(v.y).toBeCloseTo(40 + (870 - 500) / 2)
  })
  it('never zooms past maxZoom and accounts for the drawing origin', () => {
    const v = fitViewport({ x: 100, y: 50, w: 100, h: 100 }, { w: 1020, h: 1000 }, pad, 1.25)
    expect(v.zoom).toBe(1.25)
    expect(v.x + 100 * v.zoom).toBeCloseTo(10 + (1000 - 125) / 2)
  })
  it('bounds of zones', () => {
    expect(
      boundsOf([
        { x: 0, y: 0, w: 10, h: 10 },
        { x: 20, y: -5, w: 10, h: 10 },
      ]),
    ).toEqual({ x: 0, y: -5, w: 30, h: 15 })
  })
})
