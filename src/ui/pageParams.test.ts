import { describe, expect, it } from 'vitest'
import { readPageParams } from './pageParams'

const defaults = { numNodes: 3, runtime: 'worker' as const }

describe('URL parameters', () => {
  it('uses good values', () => {
    expect(readPageParams('?nodes=5&runtime=sim', defaults)).toEqual({
      numNodes: 5,
      runtime: 'sim',
      toursOff: false,
      problems: [],
    })
    expect(readPageParams('', defaults)).toEqual({
      numNodes: 3,
      runtime: 'worker',
      toursOff: false,
      problems: [],
    })
    expect(readPageParams('?nodes=64', defaults).numNodes).toBe(64)
  })

  it.each(['-1', '2.5', '65', '1e9', '0', 'abc', '', ' 3', '0x10', '007'])(
    'refuses nodes=%j with a sentence naming it and the range, and keeps the default',
    (v) => {
      const p = readPageParams(`?nodes=${encodeURIComponent(v)}`, defaults)
      if (v === '007') {
        expect(p.numNodes).toBe(7) // a whole number, leading zeros and all
        return
      }
      expect(p.numNodes).toBe(3)
      expect(p.problems).toHaveLength(1)
      expect(p.problems[0]).toContain(`nodes=${v === '' ? '(empty)' : v} is not allowed`)
      expect(p.problems[0]).toContain('a whole number from 1 to 64')
      expect(p.problems[0]).toContain('Started the default 3 nodes instead.')
    },
  )

  it('refuses an unknown runtime and names unknown parameters', () => {
    const p = readPageParams('?runtime=cloud&node=4', defaults)
    expect(p.runtime).toBe('worker')
    expect(p.problems).toEqual([
      "URL parameter runtime=cloud is not allowed: runtime must be 'worker' or 'sim'. Started the worker runtime instead.",
      'Unknown URL parameter node ignored (did you mean nodes?); the page reads nodes, runtime, tour.',
    ])
  })

  it('tour=off turns the first-load tour off; any other value is refused by name', () => {
    expect(readPageParams('?tour=off', defaults)).toMatchObject({ toursOff: true, problems: [] })
    const p = readPageParams('?tour=hints', defaults)
    expect(p.toursOff).toBe(false)
    expect(p.problems).toEqual([
      "URL parameter tour=hints is not allowed: tour can only be 'off' (open a tour with #tour=<id>).",
    ])
  })
})
