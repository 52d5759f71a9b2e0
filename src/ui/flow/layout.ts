/** Canvas geometry: network zones side by side, nodes on a circle inside their zone, a kill area below. */

export const ZONE_IDS = ['A', 'B', 'C'] as const
export type ZoneId = (typeof ZONE_IDS)[number]

export const NODE_W = 204
export const NODE_H = 112
export const NODE_W_COMPACT = 112
export const NODE_H_COMPACT = 52
const ZONE_PAD = 40
const ZONE_GAP = 70
const ZONE_MIN_W = 250
const ZONE_MIN_H = 300
const KILL_W = 250
const KILL_H = 100

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface ZoneRect extends Rect {
  id: ZoneId | 'kill'
}

/** Radius of a circle holding `k` boxes of width `w` without overlap. */
export function circleRadius(k: number, w: number): number {
  if (k <= 1) return 0
  return Math.max(125, (w / 2 + 24) / Math.sin(Math.PI / k))
}

export interface Layout {
  zones: ZoneRect[]
  kill: ZoneRect
  /** Top-left position of each node box. */
  positions: Record<string, { x: number; y: number }>
}

/** Lays out zones and nodes; `members` in index order, `zoneOf` missing = zone A. */
export function layoutZones(
  members: readonly string[],
  zoneOf: Readonly<Record<string, ZoneId>>,
  compact: boolean,
): Layout {
  const w = compact ? NODE_W_COMPACT : NODE_W
  const h = compact ? NODE_H_COMPACT : NODE_H
  const byZone = new Map<ZoneId, string[]>(ZONE_IDS.map((z) => [z, []]))
  for (const id of members) byZone.get(zoneOf[id] ?? 'A')!.push(id)
  const radii = ZONE_IDS.map((z) => circleRadius(byZone.get(z)!.length, w))
  const height = Math.max(ZONE_MIN_H, ...radii.map((r) => 2 * r + h + 2 * ZONE_PAD + 24))
  const zones: ZoneRect[] = []
  const positions: Layout['positions'] = {}
  let x = 0
  ZONE_IDS.forEach((z, zi) => {
    const r = radii[zi]
    const zw = Math.max(ZONE_MIN_W, 2 * r + w + 2 * ZONE_PAD)
    zones.push({ id: z, x, y: 0, w: zw, h: height })
    const cx = x + zw / 2
    const cy = height / 2 + 12
    const ids = byZone.get(z)!
    ids.forEach((id, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, ids.length)
      positions[id] = { x: cx + r * Math.cos(angle) - w / 2, y: cy + r * Math.sin(angle) - h / 2 }
    })
    x += zw + ZONE_GAP
  })
  const totalW = x - ZONE_GAP
  const kill: ZoneRect = { id: 'kill', x: totalW - KILL_W, y: height + 40, w: KILL_W, h: KILL_H }
  return { zones, kill, positions }
}

/** The zone (or the kill area) containing a point; null when outside all of them. */
export function zoneAt(
  p: { x: number; y: number },
  layout: Pick<Layout, 'zones' | 'kill'>,
): ZoneId | 'kill' | null {
  for (const r of [layout.kill, ...layout.zones])
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
