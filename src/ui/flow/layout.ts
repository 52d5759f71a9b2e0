/**
 * Canvas geometry: network zones side by side, each as wide as its nodes need (an empty zone is a
 * narrow drop target), nodes on an ellipse (up to ELLIPSE_MAX nodes) or a grid inside their zone. The
 * kill area is not part of the flow: it is a strip fixed to the canvas, always fully visible.
 */

export const ZONE_IDS = ['A', 'B', 'C'] as const
export type ZoneId = (typeof ZONE_IDS)[number]

export const NODE_W = 204
export const NODE_H = 112
export const NODE_W_COMPACT = 136
export const NODE_H_COMPACT = 60
/** Room between neighbouring cards, so a link and its label chip stay visible between them. */
const GAP_X = 72
const GAP_Y = 48
const GRID_GAP_X = 20
const GRID_GAP_Y = 16
const ZONE_PAD = 24
const ZONE_HEAD_H = 40
const ZONE_GAP = 24
const EMPTY_ZONE_W = 132
const ZONE_MIN_H = 240
/** Zones with more nodes than this use a grid: an ellipse of 7+ cards wastes its middle. */
const ELLIPSE_MAX = 6
/** Width : height the ellipse search aims at: a canvas is wider than tall, but the empty zones take ~290 px of it. */
const TARGET_ASPECT = 1.05

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface ZoneRect extends Rect {
  id: ZoneId
}

/** A layout is shared (layoutZones keeps the newest): read it, never change it. */
export interface Layout {
  readonly zones: readonly Readonly<ZoneRect>[]
  /** Top-left position of each node box. */
  readonly positions: Readonly<Record<string, Readonly<{ x: number; y: number }>>>
}

/** Card size for a cluster drawn compact or not. */
export function cardSize(compact: boolean): { w: number; h: number } {
  return compact ? { w: NODE_W_COMPACT, h: NODE_H_COMPACT } : { w: NODE_W, h: NODE_H }
}

interface Arrangement {
  /** Card centres relative to the arrangement's top-left corner. */
  centres: { x: number; y: number }[]
  w: number
  h: number
}

function ellipsePoints(k: number, rx: number, ry: number): { x: number; y: number }[] {
  return Array.from({ length: k }, (_, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / k
    return { x: rx * Math.cos(a), y: ry * Math.sin(a) }
  })
}

function separated(pts: { x: number; y: number }[], w: number, h: number): boolean {
  for (let i = 0; i < pts.length; i++)
    for (let j = i + 1; j < pts.length; j++)
      if (Math.abs(pts[i].x - pts[j].x) < w + GAP_X && Math.abs(pts[i].y - pts[j].y) < h + GAP_Y) return false
  return true
}

function bounded(pts: { x: number; y: number }[], w: number, h: number): Arrangement {
  const xs = pts.map((p) => p.x)
  const ys = pts.map((p) => p.y)
  const x0 = Math.min(...xs) - w / 2
  const y0 = Math.min(...ys) - h / 2
  return {
    centres: pts.map((p) => ({ x: p.x - x0, y: p.y - y0 })),
    w: Math.max(...xs) + w / 2 - x0,
    h: Math.max(...ys) + h / 2 - y0,
  }
}

/**
 * The smallest ellipse (over a few width:height ratios) on which `k` cards do not crowd each other;
 * "smallest" is measured as a box of TARGET_ASPECT would be, so a wide ellipse is not penalised.
 */
export function ellipseArrangement(k: number, w: number, h: number): Arrangement {
  if (k <= 1) return bounded([{ x: 0, y: 0 }], w, h)
  let best: Arrangement | null = null
  let bestScore = Number.POSITIVE_INFINITY
  for (const ratio of [0.6, 0.9, 1.2, 1.5, 1.8, 2.2, 2.8]) {
    for (let ry = 8; ry < 2000; ry += 4) {
      const pts = ellipsePoints(k, ry * ratio, ry)
      if (!separated(pts, w, h)) continue
      const a = bounded(pts, w, h)
      const score = Math.max(a.w / TARGET_ASPECT, a.h)
      if (score < bestScore) {
        best = a
        bestScore = score
      }
      break
    }
  }
  return best!
}

/** Cards in rows, about twice as many rows as columns (the zones stand side by side). */
export function gridArrangement(k: number, w: number, h: number): Arrangement {
  const cols = Math.max(1, Math.ceil(Math.sqrt(k / 2)))
  const rows = Math.ceil(k / cols)
  return {
    centres: Array.from({ length: k }, (_, i) => ({
      x: (i % cols) * (w + GRID_GAP_X) + w / 2,
      y: Math.floor(i / cols) * (h + GRID_GAP_Y) + h / 2,
    })),
    w: cols * (w + GRID_GAP_X) - GRID_GAP_X,
    h: rows * (h + GRID_GAP_Y) - GRID_GAP_Y,
  }
}

function arrange(k: number, w: number, h: number): Arrangement {
  if (k === 0) return { centres: [], w: 0, h: 0 }
  return k <= ELLIPSE_MAX ? ellipseArrangement(k, w, h) : gridArrangement(k, w, h)
}

const STACK_GAP_X = 48
const STACK_GAP_Y = 40

/**
 * A narrow canvas (a phone): up to ELLIPSE_MAX cards in two columns (one or two cards: one column), with room between them for a
 * link's chip; an ellipse there is wider than the screen and drew 3 cards at ~0.67×. More cards use
 * the grid.
 */
export function stackedArrangement(k: number, w: number, h: number): Arrangement {
  if (k === 0 || k > ELLIPSE_MAX) return arrange(k, w, h)
  const cols = k <= 2 ? 1 : 2
  const rows = Math.ceil(k / cols)
  return {
    centres: Array.from({ length: k }, (_, i) => {
      const row = Math.floor(i / cols)
      // A last row with one card centres it.
      const inRow = row === rows - 1 ? k - row * cols : cols
      const x0 = ((cols - inRow) * (w + STACK_GAP_X)) / 2
      return { x: x0 + (i % cols) * (w + STACK_GAP_X) + w / 2, y: row * (h + STACK_GAP_Y) + h / 2 }
    }),
    w: cols * (w + STACK_GAP_X) - STACK_GAP_X,
    h: rows * (h + STACK_GAP_Y) - STACK_GAP_Y,
  }
}

/**
 * Lays out zones and nodes; `members` in index order, `zoneOf` missing = zone A. `stacked` puts the
 * zones one above another (a canvas taller than wide, as on a phone), empty ones as short bands.
 */
export function layoutZones(
  members: readonly string[],
  zoneOf: Readonly<Record<string, ZoneId>>,
  compact: boolean,
  stacked = false,
): Layout {
  // Every store write derives the flow (nodes, edges, chips) and each part asks for the layout, which
  // only changes with membership, zones and the card mode; the ellipse search was 8% of the page's
  // thread at 5 nodes @ 1k (profile-frames). The newest layouts are kept; callers never mutate them.
  let key = `${compact ? 1 : 0}${stacked ? 1 : 0}`
  for (const id of members) key += `|${id}:${zoneOf[id] ?? 'A'}`
  const hit = layoutCache.get(key)
  if (hit) return hit
  const layout = computeLayout(members, zoneOf, compact, stacked)
  if (layoutCache.size >= LAYOUT_CACHE_MAX) layoutCache.delete(layoutCache.keys().next().value as string)
  layoutCache.set(key, layout)
  return layout
}

const LAYOUT_CACHE_MAX = 8
const layoutCache = new Map<string, Layout>()

function computeLayout(
  members: readonly string[],
  zoneOf: Readonly<Record<string, ZoneId>>,
  compact: boolean,
  stacked: boolean,
): Layout {
  const { w, h } = cardSize(compact)
  const byZone = new Map<ZoneId, string[]>(ZONE_IDS.map((z) => [z, []]))
  for (const id of members) byZone.get(zoneOf[id] ?? 'A')!.push(id)
  const arrangements = ZONE_IDS.map((z) =>
    (stacked ? stackedArrangement : arrange)(byZone.get(z)!.length, w, h),
  )
  if (stacked) return stackZones(byZone, arrangements, w, h)
  const height = Math.max(ZONE_MIN_H, ...arrangements.map((a) => a.h + ZONE_HEAD_H + 2 * ZONE_PAD))
  const zones: ZoneRect[] = []
  const positions: Record<string, { x: number; y: number }> = {}
  let x = 0
  ZONE_IDS.forEach((z, zi) => {
    const a = arrangements[zi]
    const zw = a.w === 0 ? EMPTY_ZONE_W : Math.max(EMPTY_ZONE_W, a.w + 2 * ZONE_PAD)
    zones.push({ id: z, x, y: 0, w: zw, h: height })
    const left = x + (zw - a.w) / 2
    const top = ZONE_HEAD_H + ZONE_PAD + (height - ZONE_HEAD_H - 2 * ZONE_PAD - a.h) / 2
    byZone.get(z)!.forEach((id, i) => {
      positions[id] = { x: left + a.centres[i].x - w / 2, y: top + a.centres[i].y - h / 2 }
    })
    x += zw + ZONE_GAP
  })
  return { zones, positions }
}

const EMPTY_BAND_H = 64
const STACKED_MIN_W = 260

/** Zones with nodes one above another at full width; the empty ones share one short row below them. */
function stackZones(
  byZone: Map<ZoneId, string[]>,
  arrangements: Arrangement[],
  w: number,
  h: number,
): Layout {
  const width = Math.max(STACKED_MIN_W, ...arrangements.map((a) => a.w + 2 * ZONE_PAD))
  const zones: ZoneRect[] = []
  const positions: Record<string, { x: number; y: number }> = {}
  let y = 0
  ZONE_IDS.forEach((z, zi) => {
    const a = arrangements[zi]
    if (a.h === 0) return
    const zh = a.h + ZONE_HEAD_H + 2 * ZONE_PAD
    zones.push({ id: z, x: 0, y, w: width, h: zh })
    const left = (width - a.w) / 2
    const top = y + ZONE_HEAD_H + ZONE_PAD
    byZone.get(z)!.forEach((id, i) => {
      positions[id] = { x: left + a.centres[i].x - w / 2, y: top + a.centres[i].y - h / 2 }
    })
    y += zh + ZONE_GAP
  })
  const empty = ZONE_IDS.filter((_, zi) => arrangements[zi].h === 0)
  const ew = (width - ZONE_GAP * (empty.length - 1)) / Math.max(1, empty.length)
  empty.forEach((z, i) => {
    zones.push({ id: z, x: i * (ew + ZONE_GAP), y, w: ew, h: EMPTY_BAND_H })
  })
  zones.sort((p, q) => ZONE_IDS.indexOf(p.id) - ZONE_IDS.indexOf(q.id))
  return { zones, positions }
}

/** The zone containing a point; null when outside all of them. */
export function zoneAt(p: { x: number; y: number }, layout: Pick<Layout, 'zones'>): ZoneId | null {
  for (const r of layout.zones)
    if (p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h) return r.id
  return null
}
/** Partition groups implied by the zones: one group per non-empty zone; [] when all share one zone. */
export function groupsFromZones(
  members: readonly string[],
  zoneOf: Readonly<Record<string, ZoneId>>,
): string[][] {
  const groups = ZONE_IDS.map((z) => members.filter((id) => (zoneOf[id] ?? 'A') === z)).filter(
    (g) => g.length > 0,
  )
  return groups.length <= 1 ? [] : groups
}

/**
 * Zones implied by partition groups (the cluster's FaultState), keeping each group in the zone most of
 * its members were in before, so a partition made in the console lands on the canvas and a drag stays
 * put. Nodes in no group form one more group; a fourth group and beyond share zone C.
 */
export function zonesFromGroups(
  members: readonly string[],
  groups: readonly (readonly string[])[],
  prev: Readonly<Record<string, ZoneId>> = {},
): Record<string, ZoneId> {
  const present = new Set(members)
  const real = groups.map((g) => g.filter((id) => present.has(id))).filter((g) => g.length > 0)
  const grouped = new Set(real.flat())
  const rest = members.filter((id) => !grouped.has(id))
  const all = rest.length > 0 ? [...real, rest] : real
  if (all.length <= 1) return {}
  const zoneFor: (ZoneId | null)[] = all.map(() => null)
  const used = new Set<ZoneId>()
  // Biggest groups pick their previous zone first.
  const order = all.map((_, i) => i).sort((a, b) => all[b].length - all[a].length)
  for (const i of order) {
    const votes = new Map<ZoneId, number>()
    for (const id of all[i]) {
      const z = prev[id] ?? 'A'
      votes.set(z, (votes.get(z) ?? 0) + 1)
    }
    const best = [...votes.entries()].sort((a, b) => b[1] - a[1]).find(([z]) => !used.has(z))
    if (best) {
      zoneFor[i] = best[0]
      used.add(best[0])
    }
  }
  for (const i of order) {
    if (zoneFor[i]) continue
    const free = ZONE_IDS.find((z) => !used.has(z))
    zoneFor[i] = free ?? 'C'
    if (free) used.add(free)
  }
  const out: Record<string, ZoneId> = {}
  all.forEach((g, i) => {
    for (const id of g) if (zoneFor[i] !== 'A') out[id] = zoneFor[i]!
  })
  return out
}
