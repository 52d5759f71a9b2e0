import { describe, expect, it } from 'vitest'
import type { FaultWindow } from '../model/faultsInEffect'
import {
  axisTicks,
  diagramHeight,
  distanceToSegment,
  faultBands,
  faultLanes,
  LANE_GAP_PX,
  LANE_TOP_PX,
  laneYs,
  NAMES_PX,
  nearestArrow,
  timeToX,
  viewOf,
  visibleArrows,
  xToTime,
} from './layout'
import { type DiagramMessage, NO_FILTER } from './messages'
import { Ring } from './ring'

let seq = 0
const msg = (p: Partial<DiagramMessage>): DiagramMessage => ({
  seq: ++seq,
  kind: 'replicate',
  from: 'node_0',
  to: 'node_1',
  sentMs: 0,
  recvMs: 1,
  dropped: false,
  opIds: [],
  keys: [],
  ...p,
})

function ringOf(list: DiagramMessage[]): (fn: (m: DiagramMessage) => boolean | undefined) => void {
  const r = new Ring<DiagramMessage>(100)
  for (const m of list) r.push(m)
  return (fn) => r.eachNewestFirst(fn)
}

describe('lanes', () => {
  it('one lane per node in member order, LANE_GAP_PX apart', () => {
    const y = laneYs(['node_0', 'node_1', 'node_2'])
    expect([...y.values()]).toEqual([LANE_TOP_PX, LANE_TOP_PX + LANE_GAP_PX, LANE_TOP_PX + 2 * LANE_GAP_PX])
    expect(diagramHeight(5)).toBeGreaterThan(diagramHeight(3))
  })
})

describe('time → x', () => {
  const v = viewOf(10_000, 2000, 464)
  it('maps the span onto the plot area and back', () => {
    expect(v.startMs).toBe(8000)
    expect(timeToX(8000, v)).toBe(NAMES_PX)
    expect(timeToX(10_000, v)).toBe(v.right)
    expect(timeToX(9000, v)).toBeCloseTo((NAMES_PX + v.right) / 2)
    expect(xToTime(timeToX(9321, v), v)).toBeCloseTo(9321)
  })
  it('puts times outside the view outside the plot', () => {
    expect(timeToX(7000, v)).toBeLessThan(v.left)
    expect(timeToX(11_000, v)).toBeGreaterThan(v.right)
  })
})

describe('visibleArrows (windowing)', () => {
  const lanes = laneYs(['node_0', 'node_1', 'node_2'])
  const v = viewOf(1000, 500, 464)
  it('keeps only messages whose span meets the view, newest first', () => {
    const list = [
      msg({ sentMs: 100, recvMs: 101 }),
      msg({ sentMs: 498, recvMs: 502 }),
      msg({ sentMs: 700, recvMs: 701 }),
      msg({ sentMs: 1001, recvMs: 1002 }),
    ]
    const a = visibleArrows(ringOf(list), lanes, v, NO_FILTER)
    expect(a.map((x) => x.m.sentMs)).toEqual([700, 498])
  })
  it('stops walking once messages are long before the view', () => {
    let visited = 0
    const list = [
      msg({ sentMs: 0, recvMs: 0 }),
      msg({ sentMs: 1, recvMs: 1 }),
      msg({ sentMs: 900, recvMs: 901 }),
    ]
    const src = ringOf(list)
    visibleArrows(
      (fn) =>
        src((m) => {
          visited++
          return fn(m)
        }),
      lanes,
      v,
      NO_FILTER,
      100,
      10,
    )
    expect(visited).toBe(2)
  })
  it('draws sender lane to receiver lane; a drop ends half-way', () => {
    const [a] = visibleArrows(ringOf([msg({ sentMs: 600, recvMs: 610, to: 'node_2' })]), lanes, v, NO_FILTER)
    expect(a.y0).toBe(lanes.get('node_0'))
    expect(a.y1).toBe(lanes.get('node_2'))
    const [d] = visibleArrows(
      ringOf([msg({ sentMs: 600, recvMs: 600, to: 'node_2', dropped: true })]),
      lanes,
      v,
      NO_FILTER,
    )
    expect(d.y1).toBe((lanes.get('node_0')! + lanes.get('node_2')!) / 2)
  })
  it('applies the filter, skips nodes without a lane and caps the count', () => {
    const list = [
      msg({ sentMs: 600, recvMs: 601, keys: ['a'] }),
      msg({ sentMs: 610, recvMs: 611, keys: ['b'] }),
      msg({ sentMs: 620, recvMs: 621, keys: ['a'], to: 'node_9' }),
    ]
    expect(visibleArrows(ringOf(list), lanes, v, { ...NO_FILTER, key: 'a' })).toHaveLength(1)
    expect(visibleArrows(ringOf(list), lanes, v, NO_FILTER, 1)).toHaveLength(1)
  })
})

describe('hit testing', () => {
  it('measures distance to a segment, clamped to its ends', () => {
    expect(distanceToSegment(5, 5, 0, 0, 10, 0)).toBe(5)
    expect(distanceToSegment(-3, 4, 0, 0, 10, 0)).toBe(5)
  })
  it('finds the nearest arrow within reach, else none', () => {
    const arrows = [
      { m: msg({}), x0: 100, y0: 20, x1: 100, y1: 60 },
      { m: msg({}), x0: 120, y0: 20, x1: 120, y1: 60 },
    ]
    expect(nearestArrow(arrows, 118, 40)?.x0).toBe(120)
    expect(nearestArrow(arrows, 110, 40, 6)).toBeNull()
  })
})

describe('fault bands', () => {
  it('reads the lanes from fault chip keys', () => {
    expect(faultLanes('killed:node_1')).toEqual(['node_1'])
    expect(faultLanes('disk:node_2:commits fail 10%')).toEqual(['node_2'])
    expect(faultLanes('partition:node_0,node_3')).toEqual(['node_0', 'node_3'])
    expect(faultLanes('link:node_0>node_2:cut:both')).toEqual(['node_0', 'node_2'])
    expect(faultLanes('skew:node_4')).toEqual(['node_4'])
  })
  it('clips windows to the view and draws an open one up to the right edge', () => {
    const lanes = laneYs(['node_0', 'node_1'])
    const v = viewOf(1000, 500, 464)
    const w: FaultWindow[] = [
      { key: 'killed:node_1', kind: 'killed', label: 'node_1 killed', startMs: 700, endMs: null },
      { key: 'skew:node_0', kind: 'skew', label: 'x', startMs: 0, endMs: 100 },
      { key: 'link:node_0>node_1:cut', kind: 'cut', label: 'cut', startMs: 300, endMs: 800 },
    ]
    const b = faultBands(w, lanes, v)
    expect(b.map((x) => `${x.key}@${x.lane}`)).toEqual([
      'killed:node_1@node_1',
      'link:node_0>node_1:cut@node_0',
      'link:node_0>node_1:cut@node_1',
    ])
    expect(b[0].x0).toBeCloseTo(timeToX(700, v))
    expect(b[0].x1).toBe(v.right)
    expect(b[1].x0).toBe(v.left)
  })
})

describe('axis ticks', () => {
  it('round steps since the origin, at most maxTicks', () => {
    const v = viewOf(12_000, 2000, 464)
    const t = axisTicks(v, 0, 6)
    expect(t.map((x) => x.label)).toEqual(['10.0 s', '10.5 s', '11.0 s', '11.5 s', '12.0 s'])
    expect(axisTicks(viewOf(1000, 20, 464), 0).length).toBeLessThanOrEqual(6)
  })
})
