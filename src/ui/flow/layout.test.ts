import { describe, expect, it } from 'vitest'
import { cardSize, ellipseArrangement, gridArrangement, layoutZones, type ZoneId } from './layout'

const nodes = (n: number) => Array.from({ length: n }, (_, i) => `node_${i}`)

function bbox(l: ReturnType<typeof layoutZones>) {
  const right = Math.max(...l.zones.map((z) => z.x + z.w))
  const bottom = Math.max(...l.zones.map((z) => z.y + z.h))
  return { w: right, h: bottom }
}

function noOverlap(l: ReturnType<typeof layoutZones>, compact: boolean) {
  const { w, h } = cardSize(compact)
  const ps = Object.values(l.positions)
  for (let i = 0; i < ps.length; i++)
    for (let j = i + 1; j < ps.length; j++)
      expect(Math.abs(ps[i].x - ps[j].x) >= w || Math.abs(ps[i].y - ps[j].y) >= h).toBe(true)
}

function inside(l: ReturnType<typeof layoutZones>, zoneOf: Record<string, ZoneId>, compact: boolean) {
  const { w, h } = cardSize(compact)
  for (const [id, p] of Object.entries(l.positions)) {
    const z = l.zones.find((r) => r.id === (zoneOf[id] ?? 'A'))!
    expect(p.x).toBeGreaterThanOrEqual(z.x)
    expect(p.y).toBeGreaterThanOrEqual(z.y)
    expect(p.x + w).toBeLessThanOrEqual(z.x + z.w)
    expect(p.y + h).toBeLessThanOrEqual(z.y + z.h)
  }
}

describe('layoutZones', () => {
  it('draws empty zones narrow, so the view can be fitted to the nodes', () => {
    const l = layoutZones(nodes(3), {}, false)
    const [a, b, c] = l.zones
    expect(b.w).toBeLessThan(150)
    expect(c.w).toBe(b.w)
    expect(a.w).toBeGreaterThan(2 * b.w)
  })

  // The default fit must keep 13 px card text at ≥ 11 px on a ~980 × 750 canvas (1440 × 900 page):
  // the drawing may be at most ~1.15× the canvas in each direction.
  for (const [n, compact] of [
    [3, false],
    [5, false],
    [16, true],
    [32, true],
  ] as const) {
    it(`${n} nodes: no card overlaps another, all inside their zone, the drawing fits 1130 × 860`, () => {
      const l = layoutZones(nodes(n), {}, compact)
      noOverlap(l, compact)
      inside(l, {}, compact)
      const b = bbox(l)
      expect(b.w).toBeLessThanOrEqual(1130)
      expect(b.h).toBeLessThanOrEqual(860)
    })
  }

  it('a partitioned cluster keeps every node inside its own zone', () => {
    const zoneOf: Record<string, ZoneId> = { node_1: 'B', node_3: 'C', node_4: 'C' }
    const l = layoutZones(nodes(5), zoneOf, false)
    noOverlap(l, false)
    inside(l, zoneOf, false)
  })

  it('ellipses leave room between neighbours for a link and its chip; grids are rows of cards', () => {
    const e = ellipseArrangement(5, 204, 112)
    expect(e.centres).toHaveLength(5)
    const g = gridArrangement(32, 136, 60)
    expect(new Set(g.centres.map((c) => c.x)).size).toBe(4)
    expect(new Set(g.centres.map((c) => c.y)).size).toBe(8)
  })
})

describe('layoutZones, stacked (a canvas taller than wide)', () => {
  it('puts zones with nodes one above another, the empty ones side by side in a short row below', () => {
    const zoneOf: Record<string, ZoneId> = { node_2: 'C' }
    const l = layoutZones(nodes(3), zoneOf, false, true)
    const [a, b, c] = l.zones
    expect(a.x).toBe(c.x)
    expect(c.y).toBeGreaterThan(a.y + a.h)
    expect(b.y).toBeGreaterThan(c.y + c.h)
    expect(b.h).toBeLessThan(100)
    const two = layoutZones(nodes(3), {}, false, true).zones
    expect(two[1].y).toBe(two[2].y)
    expect(two[2].x).toBeGreaterThan(two[1].x + two[1].w)
    noOverlap(l, false)
    inside(l, zoneOf, false)
    // Narrower than the row layout of the same cluster: more zoom on a phone.
    expect(a.w).toBeLessThan(bbox(layoutZones(nodes(3), zoneOf, false)).w / 1.5)
  })
})

describe('cards on a phone', () => {
  it('3 or 5 nodes at 390 × 506: compact cards in two columns, fitted so the smallest text is ≥ 11 px', async () => {
    const { compactCards, CARD_TEXT_MIN_PX } = await import('./cardMode')
    const { boundsOf, fitViewport } = await import('./viewport')
    const pad = { top: 8, left: 8, right: 8, bottom: 80 }
    for (const n of [3, 5]) {
      const canvas = { w: 390, h: 506 }
      expect(compactCards(nodes(n), {}, true, canvas, pad, 1.25)).toBe(true)
      const l = layoutZones(nodes(n), {}, true, true)
      noOverlap(l, true)
      const zoom = fitViewport(boundsOf(l.zones), canvas, pad, 1.25).zoom
      expect(zoom * CARD_TEXT_MIN_PX).toBeGreaterThanOrEqual(11)
    }
    // A desktop canvas keeps full cards.
    expect(compactCards(nodes(3), {}, false, { w: 1130, h: 860 }, pad, 1.25)).toBe(false)
  })
})

describe('layoutZones is computed once per membership, zones and card mode', () => {
  it('returns the same layout for the same inputs, a new one when a zone, a member or the mode changes', () => {
    const a = layoutZones(nodes(5), { node_2: 'B' }, false)
    expect(layoutZones([...nodes(5)], { node_2: 'B' }, false)).toBe(a)
    const moved = layoutZones(nodes(5), { node_2: 'C' }, false)
    expect(moved).not.toBe(a)
    expect(moved.positions.node_2.x).toBeGreaterThan(a.positions.node_2.x)
    expect(layoutZones(nodes(6), { node_2: 'B' }, false)).not.toBe(a)
    expect(layoutZones(nodes(5), { node_2: 'B' }, true)).not.toBe(a)
    expect(layoutZones(nodes(5), { node_2: 'B' }, false, true)).not.toBe(a)
  })
})
