import { describe, expect, it } from 'vitest'
import {
  ageText,
  type FaultInput,
  faultBands,
  faultsInEffect,
  startedAt,
  trackWindows,
} from './faultsInEffect'

const members = ['node_0', 'node_1', 'node_2', 'node_3', 'node_4']
const base: FaultInput = { members, groups: [], links: {}, status: {}, skewMs: {} }

describe('faults in effect', () => {
  it('no faults, no chips', () => {
    expect(faultsInEffect(base)).toEqual([])
  })

  it('an isolated node: one chip, undo puts it back with the others (no partition left)', () => {
    const chips = faultsInEffect({ ...base, groups: [['node_1']] })
    expect(chips).toHaveLength(1)
    expect(chips[0]).toMatchObject({
      kind: 'isolated',
      label: 'node_1 isolated from 4 peers',
      undo: { type: 'partition', groups: [] },
    })
  })

  it('three groups: one chip per minority group; undo merges only that one', () => {
    const chips = faultsInEffect({ ...base, groups: [['node_4'], ['node_3']] })
    expect(chips.map((c) => c.label)).toEqual([
      'node_4 isolated from 4 peers',
      'node_3 isolated from 4 peers',
    ])
    expect(chips[1].undo).toEqual({
      type: 'partition',
      groups: [['node_4'], ['node_0', 'node_1', 'node_2', 'node_3']],
    })
    const two = faultsInEffect({ ...base, groups: [['node_3', 'node_4']] })
    expect(two.map((c) => [c.kind, c.label])).toEqual([['partition', 'node_3, node_4 cut off from 3 peers']])
  })

  it('link rules: one chip per rule and direction; the same rule both ways is one ⇄ chip', () => {
    const chips = faultsInEffect({
      ...base,
      links: {
        'node_0>node_1': { cut: true, latencyMs: 120, jitterMs: 20 },
        'node_1>node_0': { cut: true },
        'node_2>node_3': { lossRate: 0.3 },
      },
    })
    expect(chips.map((c) => c.label)).toEqual([
      'node_0 ⇄ node_1 cut',
      'node_0 → node_1 +120±20 ms',
      'node_2 → node_3 loss 30%',
    ])
    expect(chips[0].undo).toEqual({
      type: 'link',
      links: [
        { from: 'node_0', to: 'node_1', rule: { latencyMs: 120, jitterMs: 20 } },
        { from: 'node_1', to: 'node_0', rule: {} },
      ],
    })
  })

  it('killed, paused and skewed nodes', () => {
    const chips = faultsInEffect({
      ...base,
      status: { node_1: 'down', node_2: 'paused' },
      skewMs: { node_3: -250 },
    })
    expect(chips.map((c) => [c.label, c.undo.type])).toEqual([
      ['node_1 killed', 'restart'],
      ['node_2 paused', 'resume'],
      ['node_3 clock -250 ms', 'skew'],
    ])
  })
})

describe('fault windows', () => {
  it('open on a new chip, close when it goes, reopen later; unchanged input keeps the array', () => {
    const kill = faultsInEffect({ ...base, status: { node_1: 'down' } })
    const w1 = trackWindows([], kill, 1000)
    expect(w1).toEqual([
      { key: 'killed:node_1', kind: 'killed', label: 'node_1 killed', startMs: 1000, endMs: null },
    ])
    expect(trackWindows(w1, kill, 1500)).toBe(w1)
    expect(startedAt(w1, 'killed:node_1')).toBe(1000)
    const w2 = trackWindows(w1, [], 4000)
    expect(w2[0].endMs).toBe(4000)
    expect(startedAt(w2, 'killed:node_1')).toBeNull()
    const w3 = trackWindows(w2, kill, 9000)
    expect(w3).toHaveLength(2)
    expect(faultBands(w3, 2000)).toEqual([
      { x0: 0, x1: 2, label: 'node_1 killed' },
      { x0: 7, x1: null, label: 'node_1 killed' },
    ])
    expect(faultBands(w3, 5000)).toEqual([{ x0: 4, x1: null, label: 'node_1 killed' }])
  })

  it('ages', () => {
    expect(ageText(12_400)).toBe('12 s')
    expect(ageText(185_000)).toBe('3 min 5 s')
    expect(ageText(120_000)).toBe('2 min')
  })
})
