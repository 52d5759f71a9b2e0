import { describe, expect, it } from 'vitest'
import {
  advance,
  forResume,
  isFinished,
  loadTours,
  saveTours,
  startProgress,
  tourIdFromHash,
} from './progress'
import { obs, op } from './testObs'
import { TOURS, tourById } from './tours'

function memoryStorage(): Storage {
  const m = new Map<string, string>()
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: () => null,
    get length() {
      return m.size
    },
  }
}

describe('tour progress', () => {
  it('every tour has 3–6 steps with distinct ids', () => {
    expect(TOURS.length).toBeGreaterThanOrEqual(6)
    for (const t of TOURS) {
      expect(t.steps.length).toBeGreaterThanOrEqual(3)
      expect(t.steps.length).toBeLessThanOrEqual(6)
      expect(new Set(t.steps.map((s) => s.id)).size).toBe(t.steps.length)
    }
  })

  it('the hints tour ticks step by step from the cluster state and narrates with the figures', () => {
    const tour = tourById('hints')!
    let p = startProgress(tour)
    const idle = obs({ n: 5 })
    expect(advance(tour, p, idle)).toBe(p) // nothing happened: same object
    p = advance(tour, p, obs({ n: 5, tMs: 1000, nodes: { node_1: { status: 'down' } } }))
    expect(p.stepIndex).toBe(1)
    expect(p.saw[0]).toContain('node_1 is down')
    const held = (n: number, tMs: number, up = false) =>
      obs({
        n: 5,
        tMs,
        nodes: { node_1: { status: up ? 'up' : 'down' }, node_2: { hintsByTarget: { node_1: n } } },
      })
    p = advance(tour, p, held(9, 2000))
    expect(p.stepIndex).toBe(1) // 9 < 10
    p = advance(tour, p, held(14, 3000))
    expect(p.stepIndex).toBe(2)
    expect(p.saw[1]).toBe('node_2 holds 14 hints for node_1 (14 across the cluster).')
    p = advance(tour, p, held(14, 4000, true))
    expect(p.stepIndex).toBe(3)
    p = advance(tour, p, held(6, 4600, true))
    expect(p.stepIndex).toBe(3) // still draining
    p = advance(tour, p, held(0, 5200, true))
    expect(isFinished(tour, p)).toBe(true)
    expect(p.saw[3]).toBe('node_2 held up to 14 hints for node_1 (14 in all); they drained in 1.2 s.')
    expect(advance(tour, p, held(0, 6000, true))).toBe(p)
  })

  it('one observation ticks one step at most', () => {
    const tour = tourById('partition-quorums')!
    const o = obs({ groups: [['node_0', 'node_1'], ['node_2']], ops: [op({ level: 'ALL', ok: false })] })
    const p = advance(tour, startProgress(tour), o)
    expect(p.stepIndex).toBe(1)
  })

  it('a console op on the wrong side does not tick the isolated-side step', () => {
    const tour = tourById('partition-quorums')!
    const groups = [['node_0', 'node_1'], ['node_2']]
    let p = advance(tour, startProgress(tour), obs({ groups }))
    p = advance(tour, p, obs({ groups, ops: [op({ level: 'ALL', ok: false, errorCode: 'QUORUM_NOT_MET' })] }))
    expect(p.stepIndex).toBe(2)
    p = advance(tour, p, obs({ groups, ops: [op({ node: 'node_0', level: 'QUORUM', ok: false })] }))
    expect(p.stepIndex).toBe(2)
    p = advance(tour, p, obs({ groups, ops: [op({ node: 'node_2', level: 'QUORUM', ok: false })] }))
    expect(p.stepIndex).toBe(3)
  })

  it('saves and loads; drops malformed entries; resume forgets this session’s facts', () => {
    const st = memoryStorage()
    const tour = tourById('hints')!
    const p = { ...startProgress(tour), stepIndex: 2, memo: { killed: 'node_1', _wasPartitioned: 1 } }
    saveTours(st, { active: 'hints', cardsHidden: true, progress: { hints: p } })
    expect(loadTours(st)).toEqual({ active: 'hints', cardsHidden: true, progress: { hints: p } })
    expect(forResume(p).memo).toEqual({ killed: 'node_1' })
    st.setItem('distdb-tours', '{"progress":{"hints":{"tourId":"x"},"ae":5}}')
    expect(loadTours(st)).toEqual({ active: null, cardsHidden: false, progress: {} })
    st.setItem('distdb-tours', 'not json')
    expect(loadTours(st).progress).toEqual({})
    expect(loadTours(undefined).active).toBeNull()
  })

  it('#tour=<id> names a tour; anything else does not', () => {
    expect(tourIdFromHash('#tour=hints')).toBe('hints')
    expect(tourIdFromHash('#tour=')).toBeNull()
    expect(tourIdFromHash('#s=abc')).toBeNull()
    expect(tourIdFromHash('#tour=<script>')).toBeNull()
  })
})
