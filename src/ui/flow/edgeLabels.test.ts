import { describe, expect, it } from 'vitest'
import { chipPoint, chipSize, clipToBox, placeChips } from './edgeLabels'
import { menuPosition } from './menuPosition'

const rect = (p: { x: number; y: number }, w: number, h: number) => ({ x: p.x - w / 2, y: p.y - h / 2, w, h })
const hit = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

describe('placeChips', () => {
  it('keeps a chip on its edge midpoint when that is clear', () => {
    const p = placeChips([{ id: 'e', a: { x: 0, y: 0 }, b: { x: 400, y: 0 }, bend: 0, w: 60, h: 20 }], [])
    expect(p.e).toEqual({ t: 0.5, off: 0 })
  })
  it('moves a chip off a card that covers the midpoint, and two chips apart', () => {
    const card = { x: 170, y: -40, w: 60, h: 80 }
    const chips = [
      { id: 'e1', a: { x: 0, y: 0 }, b: { x: 400, y: 0 }, bend: 0, w: 60, h: 20 },
      { id: 'e2', a: { x: 0, y: 10 }, b: { x: 400, y: 10 }, bend: 0, w: 60, h: 20 },
    ]
    const p = placeChips(chips, [card])
    const r1 = rect(chipPoint(chips[0].a, chips[0].b, 0, p.e1), 60, 20)
    const r2 = rect(chipPoint(chips[1].a, chips[1].b, 0, p.e2), 60, 20)
    expect(hit(r1, card)).toBe(false)
    expect(hit(r2, card)).toBe(false)
    expect(hit(r1, r2)).toBe(false)
  })
  it('sizes chips by their longest line', () => {
    expect(chipSize(['a', 'node_0→node_1 cut']).w).toBeGreaterThan(chipSize(['12/s']).w)
    expect(chipSize(['a', 'b']).h).toBeGreaterThan(chipSize(['a']).h)
  })
})

describe('clipToBox', () => {
  it('ends a line at the card border', () => {
    expect(clipToBox({ x: 0, y: 0 }, { x: 500, y: 0 }, 100, 50, 0)).toEqual({ x: 100, y: 0 })
    expect(clipToBox({ x: 0, y: 0 }, { x: 0, y: -300 }, 100, 50, 0)).toEqual({ x: 0, y: -50 })
  })
})

describe('menuPosition', () => {
  const menu = { w: 300, h: 200 }
  it('opens to the right of the card, else to its left, else below it', () => {
    expect(menuPosition({ x: 100, y: 50, w: 200, h: 100 }, menu, { w: 1000, h: 800 })).toEqual({
      left: 308,
      top: 50,
    })
    expect(menuPosition({ x: 600, y: 50, w: 200, h: 100 }, menu, { w: 1000, h: 800 })).toEqual({
      left: 292,
      top: 50,
    })
    expect(menuPosition({ x: 40, y: 50, w: 200, h: 100 }, menu, { w: 390, h: 800 })).toEqual({
      left: 40,
      top: 158,
    })
  })
})
