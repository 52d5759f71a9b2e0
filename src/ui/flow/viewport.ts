/**
 * The fitted view, computed from the layout rather than from React Flow's measured nodes: a fit asked
 * of React Flow right after a cluster swap could still see the old nodes and leave 32 nodes at the
 * 3-node zoom. Pure, so the canvas can set it whenever the layout or the canvas size changes.
 */
import type { Rect } from './layout'

export interface FitPadding {
  top: number
  right: number
  bottom: number
  left: number
}

/** The box around all zones. */
export function boundsOf(rects: readonly Rect[]): Rect {
  if (rects.length === 0) return { x: 0, y: 0, w: 0, h: 0 }
  const x = Math.min(...rects.map((r) => r.x))
  const y = Math.min(...rects.map((r) => r.y))
  return {
    x,
    y,
    w: Math.max(...rects.map((r) => r.x + r.w)) - x,
    h: Math.max(...rects.map((r) => r.y + r.h)) - y,
  }
}

/** Viewport (translate + zoom) that shows `b` centred inside the padded canvas, zoom ≤ maxZoom. */
export function fitViewport(
  b: Rect,
  canvas: { w: number; h: number },
  pad: FitPadding,
  maxZoom: number,
): { x: number; y: number; zoom: number } {
  const availW = Math.max(1, canvas.w - pad.left - pad.right)
  const availH = Math.max(1, canvas.h - pad.top - pad.bottom)
  const zoom = Math.min(maxZoom, availW / Math.max(1, b.w), availH / Math.max(1, b.h))
  return {
    x: pad.left + (availW - b.w * zoom) / 2 - b.x * zoom,
    y: pad.top + (availH - b.h * zoom) / 2 - b.y * zoom,
    zoom,
  }
}
