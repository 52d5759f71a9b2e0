/** Paints one frame of the space-time diagram on a 2D canvas: lanes, fault bands, arrows, axis. */
import type { FaultKind } from '../model/faultsInEffect'
import type { Arrow, Band, DiagramView } from './layout'
import { GROUP_COLORS, type Highlight, isHighlighted, kindGroup } from './messages'

export interface Palette {
  text: string
  muted: string
  border: string
  danger: string
  highlight: string
}

export interface Scene {
  width: number
  height: number
  view: DiagramView
  lanes: ReadonlyMap<string, number>
  laneColors: ReadonlyMap<string, string>
  highlightLanes: ReadonlySet<string>
  arrows: readonly Arrow[]
  bands: readonly Band[]
  ticks: ReadonlyArray<{ x: number; label: string }>
  highlight: Highlight | null
  hoverSeq: number | null
  selectedSeq: number | null
  /** Draw Lamport timestamps and op ids beside the arrows (few arrows in view). */
  labels: boolean
  palette: Palette
}

export const BAND_COLORS: Record<FaultKind, string> = {
  killed: 'rgba(217, 58, 63, 0.28)',
  paused: 'rgba(138, 108, 240, 0.28)',
  isolated: 'rgba(217, 130, 43, 0.26)',
  partition: 'rgba(217, 130, 43, 0.26)',
  cut: 'rgba(217, 58, 63, 0.18)',
  latency: 'rgba(217, 193, 58, 0.28)',
  loss: 'rgba(217, 193, 58, 0.28)',
  dup: 'rgba(217, 193, 58, 0.2)',
  skew: 'rgba(47, 184, 201, 0.24)',
  disk: 'rgba(201, 138, 75, 0.28)',
}

const BAND_HALF_PX = 11
/** Arrowheads are drawn while at most this many arrows are in view. */
export const HEADS_MAX = 400

function arrowHead(ctx: CanvasRenderingContext2D, a: Arrow, size: number): void {
  const ang = Math.atan2(a.y1 - a.y0, a.x1 - a.x0)
  ctx.moveTo(a.x1, a.y1)
  ctx.lineTo(a.x1 - size * Math.cos(ang - 0.45), a.y1 - size * Math.sin(ang - 0.45))
  ctx.moveTo(a.x1, a.y1)
  ctx.lineTo(a.x1 - size * Math.cos(ang + 0.45), a.y1 - size * Math.sin(ang + 0.45))
}

function cross(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.moveTo(x - r, y - r)
  ctx.lineTo(x + r, y + r)
  ctx.moveTo(x + r, y - r)
  ctx.lineTo(x - r, y + r)
}

function drawBands(ctx: CanvasRenderingContext2D, s: Scene): void {
  ctx.font = '10px system-ui, sans-serif'
  ctx.textBaseline = 'middle'
  for (const b of s.bands) {
    ctx.fillStyle = BAND_COLORS[b.kind]
    ctx.fillRect(b.x0, b.y - BAND_HALF_PX, b.x1 - b.x0, 2 * BAND_HALF_PX)
    if (b.x1 - b.x0 > 50) {
      ctx.fillStyle = s.palette.text
      ctx.fillText(b.label, b.x0 + 3, b.y - BAND_HALF_PX + 6, b.x1 - b.x0 - 6)
    }
  }
}

/** Arrows grouped by colour into one path each: thousands of lines cost a few strokes. */
function drawArrows(ctx: CanvasRenderingContext2D, s: Scene): void {
  const dim = s.highlight !== null && s.highlight.size > 0
  const byColor = new Map<string, Arrow[]>()
  const dropped: Arrow[] = []
  const hot: Arrow[] = []
  for (const a of s.arrows) {
    if (dim && isHighlighted(a.m, s.highlight)) hot.push(a)
    if (a.m.dropped) dropped.push(a)
    else {
      const c = GROUP_COLORS[kindGroup(a.m.kind)]
      const list = byColor.get(c)
      if (list) list.push(a)
      else byColor.set(c, [a])
    }
  }
  ctx.lineWidth = 1.2
  // Opaque unless dimmed, and heads only while they can be told apart: blending and three times the
  // segments are most of the raster cost of a dense view (the canvas is rasterised on the main thread).
  ctx.globalAlpha = dim ? 0.22 : 1
  const heads = s.arrows.length <= HEADS_MAX
  for (const [color, list] of byColor) {
    ctx.strokeStyle = color
    ctx.beginPath()
    for (const a of list) {
      ctx.moveTo(a.x0, a.y0)
      ctx.lineTo(a.x1, a.y1)
      if (heads) arrowHead(ctx, a, 5)
    }
    ctx.stroke()
  }
  if (dropped.length) {
    ctx.strokeStyle = s.palette.danger
    ctx.setLineDash([3, 3])
    ctx.beginPath()
    for (const a of dropped) {
      ctx.moveTo(a.x0, a.y0)
      ctx.lineTo(a.x1, a.y1)
    }
    ctx.stroke()
    ctx.setLineDash([])
    ctx.beginPath()
    for (const a of dropped) cross(ctx, a.x1, a.y1, 3)
    ctx.stroke()
  }
  ctx.globalAlpha = 1
  if (hot.length) {
    ctx.strokeStyle = s.palette.highlight
    ctx.lineWidth = 2.6
    ctx.beginPath()
    for (const a of hot) {
      ctx.moveTo(a.x0, a.y0)
      ctx.lineTo(a.x1, a.y1)
      arrowHead(ctx, a, 7)
    }
    ctx.stroke()
  }
  for (const seq of [s.selectedSeq, s.hoverSeq]) {
    const a = seq === null ? undefined : s.arrows.find((x) => x.m.seq === seq)
    if (!a) continue
    ctx.strokeStyle = s.palette.text
    ctx.lineWidth = 2.4
    ctx.beginPath()
    ctx.moveTo(a.x0, a.y0)
    ctx.lineTo(a.x1, a.y1)
    arrowHead(ctx, a, 7)
    ctx.stroke()
  }
}

function drawLabels(ctx: CanvasRenderingContext2D, s: Scene): void {
  ctx.font = '9px ui-monospace, monospace'
  ctx.fillStyle = s.palette.muted
  ctx.textBaseline = 'bottom'
  for (const a of s.arrows) {
    const parts: string[] = []
    if (a.m.lamport !== undefined) parts.push(String(a.m.lamport))
    if (a.m.opIds[0]) parts.push(a.m.opIds[0].replace('node_', 'n'))
    if (a.m.version) parts.push(`v${a.m.version.replace('node_', 'n')}`)
    if (parts.length === 0) continue
    const up = a.y1 < a.y0
    ctx.fillText(parts.join(' '), a.x0 + 3, a.y0 + (up ? 12 : -2))
  }
}

/** Paints the scene; the context is already scaled for the device pixel ratio. */
export function drawScene(ctx: CanvasRenderingContext2D, s: Scene): void {
  ctx.clearRect(0, 0, s.width, s.height)
  const { left, right } = s.view
  ctx.font = '11px system-ui, sans-serif'
  ctx.textBaseline = 'middle'
  for (const [id, y] of s.lanes) {
    const hot = s.highlightLanes.has(id)
    ctx.strokeStyle = hot ? s.palette.highlight : s.palette.border
    ctx.lineWidth = hot ? 2 : 1
    ctx.beginPath()
    ctx.moveTo(left, y)
    ctx.lineTo(right, y)
    ctx.stroke()
    ctx.fillStyle = s.laneColors.get(id) ?? s.palette.muted
    ctx.beginPath()
    ctx.arc(8, y, 4, 0, 2 * Math.PI)
    ctx.fill()
    ctx.fillStyle = s.palette.text
    ctx.fillText(id, 16, y, left - 18)
  }
  drawBands(ctx, s)
  drawArrows(ctx, s)
  if (s.labels) drawLabels(ctx, s)
  const axisY = s.height - 14
  ctx.strokeStyle = s.palette.border
  ctx.lineWidth = 1
  ctx.beginPath()
  ctx.moveTo(left, axisY - 6)
  ctx.lineTo(right, axisY - 6)
  ctx.stroke()
  ctx.fillStyle = s.palette.muted
  ctx.font = '10px system-ui, sans-serif'
  ctx.textBaseline = 'middle'
  ctx.textAlign = 'center'
  for (const t of s.ticks) {
    ctx.fillRect(t.x, axisY - 9, 1, 4)
    ctx.fillText(t.label, Math.min(right - 16, Math.max(left + 16, t.x)), axisY + 3)
  }
  ctx.textAlign = 'left'
}
