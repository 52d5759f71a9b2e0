import { describe, expect, it } from 'vitest'
import type { ClusterEvent } from '../../core/events'
import { closeWindow, countTotals, countTraffic, newTrafficCounter, samplePulses } from './traffic'

const e = (type: ClusterEvent['type'], node: string, peer: string, msg = 'replicate'): ClusterEvent =>
  ({ t: 0, type, node, peer, msg }) as ClusterEvent

describe('traffic', () => {
  it('counts sends and drops per directed link and turns them into rates per window', () => {
    const c = newTrafficCounter(0)
    countTraffic(c, [
      e('send', 'node_0', 'node_1'),
      e('send', 'node_0', 'node_1'),
      e('drop', 'node_1', 'node_0'),
    ])
    expect(closeWindow(c, 100)).toBeNull()
    expect(closeWindow(c, 1000)).toEqual({
      'node_0>node_1': { ratePerSec: 2, dropsPerSec: 0 },
      'node_1>node_0': { ratePerSec: 0, dropsPerSec: 1 },
    })
    expect(closeWindow(c, 2000)).toEqual({})
  })
  it('samples a few pulses, one per link, and expires them', () => {
    let id = 0
    const events = Array.from({ length: 100 }, (_, i) => e('send', `node_${i % 3}`, `node_${(i + 1) % 3}`))
    const p = samplePulses([], events, 0, () => ++id)
    expect(p.length).toBeGreaterThan(0)
    expect(p.length).toBeLessThanOrEqual(3)
    expect(new Set(p.map((x) => `${x.from}>${x.to}`)).size).toBe(p.length)
    expect(samplePulses(p, [], 10_000, () => ++id)).toEqual([])
    expect(samplePulses([], [e('send', 'node_0', 'node_1', 'ping')], 0, () => ++id)).toEqual([])
  })
})

describe('exact link totals', () => {
  it('counts what cumulative totals grew by, ignores sampled send events, still counts drops', () => {
    const c = newTrafficCounter(0)
    let base = countTotals(c, { 'node_0>node_1': 10 }, {})
    base = countTotals(c, { 'node_0>node_1': 25, 'node_1>node_0': 3 }, base)
    countTraffic(c, [e('send', 'node_0', 'node_1'), e('drop', 'node_1', 'node_0')], true)
    const r = closeWindow(c, 1000)!
    expect(r['node_0>node_1'].ratePerSec).toBe(25)
    expect(r['node_1>node_0']).toEqual({ ratePerSec: 3, dropsPerSec: 1 })
    // A counter that restarted (went down) counts its new value whole.
    countTotals(c, { 'node_0>node_1': 4 }, base)
    expect(closeWindow(c, 2000)!['node_0>node_1'].ratePerSec).toBe(4)
  })
})
