/**
 * The tours are scenario documents: each validates with the same schema and codec as any document,
 * round-trips through JSON and the `#s=` fragment unchanged, and compiles to its tour. A narration
 * from a hostile link can only pick among the known conditions.
 */
import { describe, expect, it } from 'vitest'
import {
  decodeFragment,
  encodeFragment,
  fragmentPayload,
  parseScenarioJson,
  scenarioToJson,
  validateScenario,
} from '../../scenario/codec'
import { compileTour } from './conditions'
import { TOUR_DOCS, TOURS } from './tours'

describe('tours as scenario documents', () => {
  it('every tour document validates and round-trips through JSON and the URL fragment', async () => {
    expect(TOUR_DOCS.map((d) => d.narration?.tour)).toEqual([
      'partition-quorums',
      'hints',
      'anti-entropy',
      'clock-skew',
      'conflict-modes',
      'elasticity',
    ])
    for (const doc of TOUR_DOCS) {
      expect(validateScenario(doc), doc.narration?.tour).toEqual({ ok: true, doc })
      expect(parseScenarioJson(scenarioToJson(doc))).toEqual({ ok: true, doc })
      const hash = await encodeFragment(doc)
      expect(hash.length).toBeLessThan(3000)
      expect(await decodeFragment(fragmentPayload(hash) ?? '')).toEqual({ ok: true, doc })
    }
  })

  it('each compiles to a tour of 3–6 steps with the document’s title, workload and options', () => {
    for (const [i, doc] of TOUR_DOCS.entries()) {
      const tour = compileTour(doc)
      expect(tour?.steps.length).toBeGreaterThanOrEqual(3)
      expect(tour?.steps.length).toBeLessThanOrEqual(6)
      expect(TOURS[i]).toMatchObject({ id: doc.narration?.tour, title: doc.title, doc })
      expect(doc.workload?.ratePerSec).toBe(20)
    }
  })

  it('targets are templates over the facts: the first selector whose facts are known', () => {
    const hints = TOURS.find((t) => t.id === 'hints')!
    const pile = hints.steps[1]
    expect(pile.target({})).toBe('[data-testid="canvas"]')
    expect(pile.target({ hintHolder: 'node_3' })).toBe('[data-testid="db-node-node_3"]')
  })

  it('a narration naming an unknown condition, a code-like text or a bad fact name is refused', () => {
    const base = TOUR_DOCS[1]
    const narr = base.narration!
    const bad = [
      { ...narr, steps: [{ ...narr.steps[0], done: { state: 'eval', code: 'alert(1)' } }] },
      { ...narr, steps: [{ ...narr.steps[0], done: () => true }] },
      { ...narr, steps: [{ ...narr.steps[0], done: { action: 'put', save: { 'x.y': 'node' } } }] },
      { ...narr, steps: [{ ...narr.steps[0], done: { action: 'kill' } }] },
      { ...narr, steps: [] },
      { ...narr, track: ['everything'] },
      { ...narr, summary: 'x'.repeat(601) },
    ]
    for (const narration of bad) {
      const r = validateScenario({ ...base, narration })
      expect(r.ok, JSON.stringify(narration).slice(0, 120)).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('SCENARIO_INVALID')
    }
  })
})
