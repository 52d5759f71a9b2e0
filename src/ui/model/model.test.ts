import { describe, expect, it } from 'vitest'
import type { NodeSnapshot } from '../../cluster/types'
import type { ClusterEvent } from '../../core/events'
import { keyIndexChooser, mulberry32, zipfCdf } from '../../core/workload/keys'
import {
  createFrameCoalescer,
  emptyBatch,
  mergeUpdate,
  storeApplyIntervalMs,
  throttledFrames,
} from './coalescer'
import { bytesSaved, mismatchGrid, parseExchangeDetail, savingText } from './merkleView'
import { ownershipShares, tokenAngleDeg } from './ringGeometry'
import { formatTopology, parseTopologyText, topologyFor } from './topologyText'

const snap = (id: string, clock: number) => ({ id, clock }) as unknown as NodeSnapshot
const ev = (t: number): ClusterEvent => ({ t, type: 'apply', node: 'node_0' as ClusterEvent['node'] })

describe('store write spacing', () => {
  it("is the workers' 100 ms update period for small clusters and grows with the node count", () => {
    expect(storeApplyIntervalMs(3)).toBe(100)
    expect(storeApplyIntervalMs(5)).toBe(100)
    expect(storeApplyIntervalMs(16)).toBeGreaterThan(storeApplyIntervalMs(8))
    expect(storeApplyIntervalMs(32)).toBeGreaterThan(storeApplyIntervalMs(16))
    expect(storeApplyIntervalMs(16)).toBe(480)
    expect(storeApplyIntervalMs(64)).toBe(800)
  })

  it('throttledFrames reads a changing interval at each request', () => {
    let now = 0
    let interval = 100
    const frames: Array<() => void> = []
    const timers: Array<{ at: number; cb: () => void }> = []
    const schedule = throttledFrames(
      () => interval,
      (cb) => frames.push(cb),
      () => now,
      (cb, ms) => timers.push({ at: now + ms, cb }),
    )
    schedule(() => {})
    frames.shift()!()
    interval = 300
    now = 150
    schedule(() => {})
    expect(frames).toHaveLength(0)
    expect(timers.at(-1)?.at).toBe(300)
  })
})

describe('frame coalescer', () => {
  it('applies at most once per frame, latest snapshot wins, events appended', () => {
    const frames: Array<() => void> = []
    const applied: Array<{ clocks: number[]; events: number[] }> = []
    const c = createFrameCoalescer(
      (b) =>
        applied.push({ clocks: [...b.nodes.values()].map((n) => n.clock), events: b.events.map((e) => e.t) }),
      (cb) => frames.push(cb),
    )
    c.push({ nodes: [snap('node_0', 1)], events: [ev(1)] })
    c.push({ nodes: [snap('node_0', 2)], events: [ev(2)] })
    c.push({ nodes: [snap('node_1', 5)], events: [] })
    expect(frames).toHaveLength(1)
    expect(applied).toHaveLength(0)
    frames.shift()!()
    expect(applied).toEqual([{ clocks: [2, 5], events: [1, 2] }])
    c.push({ nodes: [], events: [ev(3)] })
    expect(frames).toHaveLength(1)
    c.dispose()
    frames.shift()!()
    expect(applied).toHaveLength(1)
  })
  it('throttled frames: a frame at once, then none sooner than the interval after the last run', () => {
    let now = 1000
    const frames: Array<() => void> = []
    const timers: Array<{ at: number; cb: () => void }> = []
    const ran: number[] = []
    const schedule = throttledFrames(
      100,
      (cb) => frames.push(cb),
      () => now,
      (cb, ms) => timers.push({ at: now + ms, cb }),
    )
    schedule(() => ran.push(now))
    expect(frames).toHaveLength(1) // nothing ran yet: straight to the next frame
    now = 1016
    frames.shift()!()
    expect(ran).toEqual([1016])
    now = 1030
    schedule(() => ran.push(now))
    expect(frames).toHaveLength(0)
    expect(timers).toEqual([{ at: 1116, cb: expect.any(Function) }])
    now = 1116
    timers.shift()!.cb()
    expect(frames).toHaveLength(1)
    now = 1120
    frames.shift()!()
    expect(ran).toEqual([1016, 1120])
  })
  it('bounds events, keeping the newest', () => {
    const b = mergeUpdate(emptyBatch(), { nodes: [], events: [ev(1), ev(2), ev(3), ev(4)] }, 3)
    expect(b.events.map((e) => e.t)).toEqual([2, 3, 4])
    expect(b.droppedEvents).toBe(1)
  })
})

describe('topology text', () => {
  it('parses and formats', () => {
    const t = parseTopologyText('0:1,2; 1:2; 2:0')
    expect(t).toEqual({ 0: [1, 2], 1: [2], 2: [0] })
    expect(formatTopology(t)).toBe('0:1,2; 1:2; 2:0')
    expect(parseTopologyText('0: ; 1:0')).toEqual({ 0: [], 1: [0] })
  })
  it('rejects malformed text with a message', () => {
    expect(() => parseTopologyText('')).toThrow(/empty/)
    expect(() => parseTopologyText('a:b')).toThrow(/cannot read "a:b"/)
    expect(() => parseTopologyText('0:1; 0:2')).toThrow(/twice/)
  })
  it('named shapes', () => {
    expect(topologyFor('all-to-all', 3, '')).toBeUndefined()
    expect(topologyFor('ring', 3, '')).toEqual({ 0: [1], 1: [2], 2: [0] })
    expect(topologyFor('star', 3, '')).toEqual({ 0: [1, 2], 1: [0], 2: [0] })
  })
})

describe('key distributions', () => {
  it('zipf cdf is increasing and ends at 1', () => {
    const cdf = zipfCdf(100, 1.1)
    for (let i = 1; i < 100; i++) expect(cdf[i]).toBeGreaterThan(cdf[i - 1])
    expect(cdf[99]).toBe(1)
  })
  it('zipfian picks hot keys far more often than uniform', () => {
    const n = 1000
    const count = (dist: 'uniform' | 'zipfian') => {
      const pick = keyIndexChooser(dist, n, mulberry32(7))
      let hot = 0
      let lo = n
      let hi = -1
      for (let i = 0; i < 20000; i++) {
        const k = pick()
        lo = Math.min(lo, k)
        hi = Math.max(hi, k)
        if (k < 10) hot++
      }
      expect(lo).toBeGreaterThanOrEqual(0)
      expect(hi).toBeLessThan(n)
      return hot / 20000
    }
    expect(count('uniform')).toBeLessThan(0.02)
    expect(count('zipfian')).toBeGreaterThan(0.3)
  })
  it('is deterministic per seed and rejects n < 1', () => {
    const a = keyIndexChooser('zipfian', 50, mulberry32(3))
    const b = keyIndexChooser('zipfian', 50, mulberry32(3))
    expect(Array.from({ length: 20 }, a)).toEqual(Array.from({ length: 20 }, b))
    expect(() => keyIndexChooser('uniform', 0, Math.random)).toThrow()
  })
})

describe('ring geometry', () => {
  it('angles and shares', () => {
    expect(tokenAngleDeg('0'.repeat(40))).toBe(0)
    expect(tokenAngleDeg(`80000000${'0'.repeat(32)}`)).toBe(180)
    const shares = ownershipShares([
      [`40000000${'0'.repeat(32)}`, 'node_0'],
      [`c0000000${'0'.repeat(32)}`, 'node_1'],
    ])
    expect(shares).toEqual({ node_0: 0.5, node_1: 0.5 })
  })
})

describe('merkle view', () => {
  it('marks differing hashes per level', () => {
    expect(mismatchGrid([['a'], ['b', 'c']], [['x'], ['b', 'd']])).toEqual([[true], [false, true]])
  })
  it('parses exchange details', () => {
    const d = parseExchangeDetail(
      JSON.stringify({ peer: 'node_1', rangeIndex: 2, keysSent: 3, bytesSent: 100, fullTransferBytes: 1000 }),
    )
    expect(d).toMatchObject({ peer: 'node_1', rangeIndex: 2, keysSent: 3, keysReceived: 0 })
    expect(bytesSaved(d!)).toBe(900)
    expect(parseExchangeDetail('not json')).toBeNull()
    expect(parseExchangeDetail(undefined)).toBeNull()
  })
})

describe('merkle saving text', () => {
  it('explains a saving, and says when the exchange cost more than a full copy', () => {
    expect(savingText(250, 1000)).toMatch(/^Saved 75%: .* \(250 B\) instead of the whole range \(1000 B\)/)
    expect(savingText(1400, 1000)).toMatch(/^Cost 40% more than a full copy .* cheaper\.$/)
    expect(savingText(10, 0)).toContain('no rows')
  })
})
