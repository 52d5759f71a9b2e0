/** Narration data compiled to detectors: templates, text variants and action conditions. */
import { describe, expect, it } from 'vitest'
import { detectorOf, fillTemplate, matchesAction, renderText } from './conditions'
import { obs, op } from './testObs'

describe('narration conditions and texts', () => {
  it('fills facts, defaults and seconds between two times', () => {
    const m = { killed: 'node_1', a: 1000, b: 3500 }
    expect(fillTemplate('{killed} back after {dt:a:b} s ({n|0})', m)).toBe('node_1 back after 2.5 s (0)')
    expect(fillTemplate('{missing}', m)).toBe('')
    expect(fillTemplate('#{missing}', m, true)).toBeNull()
    expect(fillTemplate('#{missing|x}', m, true)).toBe('#x')
  })

  it('a text with variants picks the first whose condition holds', () => {
    const t = [
      { if: { same: ['r', 'f'] as [string, string] }, text: 'same {r}' },
      { if: { atLeast: ['n', 2] as [string, number] }, text: 'many' },
      { text: 'other' },
    ]
    expect(renderText(t, { r: 'milk', f: 'milk' })).toBe('same milk')
    expect(renderText(t, { r: 'eggs', f: 'milk', n: 3 })).toBe('many')
    expect(renderText(t, { r: 'eggs', f: 'milk' })).toBe('other')
  })

  it('an action condition matches the operation, key, level, outcome and side', () => {
    const c = {
      action: 'put' as const,
      level: 'QUORUM' as const,
      ok: false,
      node: { side: 'isolated' as const },
    }
    const m = { isolated: 'node_2' }
    expect(matchesAction(c, op({ node: 'node_2', level: 'QUORUM', ok: false }), m)).toBe(true)
    expect(matchesAction(c, op({ node: 'node_0', level: 'QUORUM', ok: false }), m)).toBe(false)
    expect(matchesAction(c, op({ node: 'node_2', level: 'ONE', ok: false }), m)).toBe(false)
    expect(matchesAction(c, op({ node: 'node_2', level: 'QUORUM', ok: true }), m)).toBe(false)
    expect(matchesAction(c, op({ op: 'get', node: 'node_2', level: 'QUORUM', ok: false }), m)).toBe(false)
    expect(
      matchesAction({ action: 'put', node: { is: 'skewed' } }, op({ node: 'node_0' }), { skewed: 'node_0' }),
    ).toBe(true)
    expect(
      matchesAction({ action: 'put', node: { isNot: 'skewed' } }, op({ node: 'node_0' }), {
        skewed: 'node_0',
      }),
    ).toBe(false)
  })

  it('an action condition saves the outcome’s fields as facts (null read as “(absent)”)', () => {
    const d = detectorOf({ action: 'get', key: 'cart', save: { readValue: 'readValue', who: 'node' } })
    expect(d(obs({ ops: [op({ op: 'get', key: 'other', readValue: 'x' })] }), {})).toBeNull()
    expect(d(obs({ ops: [op({ op: 'get', key: 'cart', readValue: null, node: 'node_1' })] }), {})).toEqual({
      readValue: '(absent)',
      who: 'node_1',
    })
  })

  it('a state condition is its detector', () => {
    const d = detectorOf({ state: 'nodeUp', node: 'killed' })
    expect(d(obs(), { killed: 'node_1' })).toEqual({ restartedAtMs: 1000 })
    expect(d(obs({ nodes: { node_1: { status: 'down' } } }), { killed: 'node_1' })).toBeNull()
  })
})
