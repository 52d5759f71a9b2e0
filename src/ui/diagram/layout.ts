/**
 * The space-time diagram's geometry: one horizontal lane per node, time on x (the view's right edge
 * is "now" or the scrubbed time), only what is in view kept (windowing), hit testing, fault bands and
 * axis ticks. Pure; unit-tested.
 */
import type { FaultKind, FaultWindow } from '../model/faultsInEffect'
import type { DiagramFilter, DiagramMessage } from './messages'
import { matchesFilter } from './messages'

export interface DiagramView {
  /** Cluster time at the left and right edges (ms). */
  startMs: number
  endMs: number
  /** Pixels: the plot area's left and right edges (lane names sit left of it). */
  left: number
  right: number
}

export const LANE_GAP_PX = 44
export const LANE_TOP_PX = 26
export const AXIS_PX = 22
export const NAMES_PX = 64

/** The canvas height for `lanes` lanes. */
export function diagramHeight(lanes: number): number {
  return LANE_TOP_PX + Math.max(1, lanes) * LANE_GAP_PX + AXIS_PX - LANE_GAP_PX / 2
}

/** Each node's lane y (px), in member order. */
export function laneYs(members: readonly string[]): Map<string, number> {
  const out = new Map<string, number>()
  members.forEach((id, i) => {
    out.set(id, LANE_TOP_PX + i * LANE_GAP_PX)
  })
  return out
}

/** A view of `spanMs` ending at `endMs` across a plot `width` px wide. */
export function viewOf(endMs: number, spanMs: number, width: number): DiagramView {
  return { startMs: endMs - spanMs, endMs, left: NAMES_PX, right: Math.max(NAMES_PX + 10, width - 8) }
}

/** Cluster time → x (px); times outside the view map outside [left, right]. */
export function timeToX(tMs: number, v: DiagramView): number {
  const span = v.endMs - v.startMs
  if (span <= 0) return v.right
  return v.left + ((tMs - v.startMs) / span) * (v.right - v.left)
}

/** x (px) → cluster time. */
export function xToTime(x: number, v: DiagramView): number {
  return v.startMs + ((x - v.left) / Math.max(1, v.right - v.left)) * (v.endMs - v.startMs)
}

export interface Arrow {
  m: DiagramMessage
  x0: number
  y0: number
  x1: number
  y1: number
}

/** The most arrows drawn in one frame: the newest in view win (the note says so). */
export const ARROWS_DRAWN_MAX = 1500

/**
 * Arrows for the messages in view that pass the filter, newest first, at most `max`. A message is in
 * view when its span [sent, received] meets [start, end] and both its nodes have a lane. `source`
 * walks messages newest first and stops when the callback returns false.
 */
export function visibleArrows(
  source: (fn: (m: DiagramMessage) => boolean | undefined) => void,
  lanes: ReadonlyMap<string, number>,
  v: DiagramView,
  filter: DiagramFilter,
  max = ARROWS_DRAWN_MAX,
  slackMs = 60_000,
): Arrow[] {
  const out: Arrow[] = []
  source((m) => {
    // Ingest order follows delivery time closely; a message delivered long before the view starts
    // ends the walk (slack allows for out-of-order reports between workers).
    if (m.recvMs < v.startMs - slackMs) return false
    if (m.recvMs < v.startMs || m.sentMs > v.endMs) return true
    const y0 = lanes.get(m.from)
    const y1 = lanes.get(m.to)
    if (y0 === undefined || y1 === undefined || !matchesFilter(m, filter)) return true
    out.push({
      m,
      x0: timeToX(m.sentMs, v),
      y0,
      x1: timeToX(m.recvMs, v),
      y1: m.dropped ? (y0 + y1) / 2 : y1,
    })
    return out.length < max
  })
  return out
}

/** Distance from point (px, py) to the segment a–b. */
export function distanceToSegment(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax
  const dy = by - ay
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2))
  const cx = ax + t * dx
  const cy = ay + t * dy
  return Math.hypot(px - cx, py - cy)
}

/** The arrow nearest to (x, y) within `maxPx`, or null. */
export function nearestArrow(arrows: readonly Arrow[], x: number, y: number, maxPx = 6): Arrow | null {
  let best: Arrow | null = null
  let bestD = maxPx
  for (const a of arrows) {
    const d = distanceToSegment(x, y, a.x0, a.y0, a.x1, a.y1)
    if (d <= bestD) {
      bestD = d
      best = a
    }
  }
  return best
}

/**
 * The lanes a fault chip's window is drawn on, from its stable key (faultsInEffect.ts):
 * `killed:n`, `paused:n`, `skew:n`, `disk:n:…` → n; `partition:a,b` → a, b; `link:a>b:part[:both]` → a, b.
 */
export function faultLanes(key: string): string[] {
  const [kind, rest = ''] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)]
  if (kind === 'partition') return rest.split(',').filter(Boolean)
  if (kind === 'link') {
    const pair = rest.split(':')[0]
    return pair.split('>').filter(Boolean)
  }
  const node = rest.split(':')[0]
  return node ? [node] : []
}

export interface Band {
  key: string
  kind: FaultKind
  label: string
  lane: string
  x0: number
  x1: number
  y: number
}

/** Fault windows (in cluster time) as bands on their lanes, clipped to the view. */
export function faultBands(
  windows: readonly FaultWindow[],
  lanes: ReadonlyMap<string, number>,
  v: DiagramView,
): Band[] {
  const out: Band[] = []
  for (const w of windows) {
    const end = w.endMs ?? v.endMs
    if (end < v.startMs || w.startMs > v.endMs) continue
    const x0 = Math.max(v.left, timeToX(w.startMs, v))
    const x1 = Math.min(v.right, timeToX(end, v))
    for (const lane of faultLanes(w.key)) {
      const y = lanes.get(lane)
      if (y === undefined) continue
      out.push({ key: w.key, kind: w.kind, label: w.label, lane, x0, x1: Math.max(x1, x0 + 2), y })
    }
  }
  return out
}

const TICK_STEPS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000]

/** Axis ticks: round steps of time since `originMs`, at most `maxTicks` across the view. */
export function axisTicks(
  v: DiagramView,
  originMs: number,
  maxTicks = 6,
): Array<{ x: number; label: string }> {
  const span = v.endMs - v.startMs
  if (span <= 0) return []
  const step = TICK_STEPS_MS.find((s) => span / s <= maxTicks) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1]
  const first = Math.ceil((v.startMs - originMs) / step) * step
  const out: Array<{ x: number; label: string }> = []
  for (let t = first; originMs + t <= v.endMs; t += step) {
    const s = t / 1000
    const label = step < 1000 ? `${s.toFixed(step < 10 ? 3 : step < 100 ? 2 : 1)} s` : `${s.toFixed(0)} s`
    out.push({ x: timeToX(originMs + t, v), label })
  }
  return out
}
