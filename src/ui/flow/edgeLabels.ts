/**
 * Edge label chips: their text, their size, and where they go. A chip sits on its edge, moved along it
 * or beside it until it is clear of every card and of the chips placed before it (faulted links first).
 */
import type { Rect } from './layout'

export interface Point {
  x: number
  y: number
}

/** Where a chip sits relative to its edge: a fraction along it and an offset along its normal (px). */
export interface ChipPlace {
  t: number
  off: number
}

export interface ChipRequest {
  id: string
  a: Point
  b: Point
  /** Bend of a curved edge (control point offset as a fraction of its length); 0 = straight. */
  bend: number
  w: number
  h: number
}

const CHAR_W = 7.3
const LINE_H = 18
const CHIP_MARGIN = 4
const ALONG = [0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75]

/** The screen-space size of a chip with these lines (12 px monospace, padded). */
export function chipSize(lines: readonly string[]): { w: number; h: number } {
  const chars = Math.max(0, ...lines.map((l) => l.length))
  return { w: Math.ceil(chars * CHAR_W + 14), h: lines.length * LINE_H + 4 }
}

/** The point of a chip on an edge from a to b (a quadratic curve when bend ≠ 0). */
export function chipPoint(a: Point, b: Point, bend: number, place: ChipPlace): Point {
  const dx = b.x - a.x
  const dy = b.y - a.y
  const len = Math.hypot(dx, dy) || 1
  const nx = -dy / len
  const ny = dx / len
  const { t, off } = place
  // Control point of the quadratic the hint edge draws: midpoint pushed along the normal.
  const cx = (a.x + b.x) / 2 + dy * bend
  const cy = (a.y + b.y) / 2 - dx * bend
  const u = 1 - t
  const x = bend ? u * u * a.x + 2 * u * t * cx + t * t * b.x : a.x + t * dx
  const y = bend ? u * u * a.y + 2 * u * t * cy + t * t * b.y : a.y + t * dy
  return { x: x + nx * off, y: y + ny * off }
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

/** Places chips in order; each avoids `obstacles` (cards) and the chips already placed. */
export function placeChips(
  chips: readonly ChipRequest[],
  obstacles: readonly Rect[],
): Record<string, ChipPlace> {
  const placed: Rect[] = []
  const out: Record<string, ChipPlace> = {}
  for (const c of chips) {
    const step = c.h + CHIP_MARGIN * 2
    let best: { place: ChipPlace; rect: Rect; cost: number } | null = null
    search: for (const off of [0, step, -step, 2 * step, -2 * step, 3 * step, -3 * step]) {
      for (const t of ALONG) {
        const place = { t, off }
        const p = chipPoint(c.a, c.b, c.bend, place)
        const rect = {
          x: p.x - c.w / 2 - CHIP_MARGIN,
          y: p.y - c.h / 2 - CHIP_MARGIN,
          w: c.w + 2 * CHIP_MARGIN,
          h: c.h + 2 * CHIP_MARGIN,
        }
        let cost = 0
        for (const o of obstacles) cost += overlapArea(rect, o)
        for (const o of placed) cost += overlapArea(rect, o)
        if (!best || cost < best.cost) best = { place, rect, cost }
        if (cost === 0) break search
      }
    }
    if (best) {
      out[c.id] = best.place
      placed.push(best.rect)
    }
  }
  return out
}

/** Where the segment from a box's centre towards `to` leaves the box (half sizes hw, hh, plus pad). */
export function clipToBox(centre: Point, to: Point, hw: number, hh: number, pad = 3): Point {
  const dx = to.x - centre.x
  const dy = to.y - centre.y
  if (dx === 0 && dy === 0) return centre
  const sx = dx === 0 ? Number.POSITIVE_INFINITY : (hw + pad) / Math.abs(dx)
  const sy = dy === 0 ? Number.POSITIVE_INFINITY : (hh + pad) / Math.abs(dy)
  const s = Math.min(1, sx, sy)
  return { x: centre.x + dx * s, y: centre.y + dy * s }
}
