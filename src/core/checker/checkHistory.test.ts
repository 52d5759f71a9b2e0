import { describe, expect, it } from 'vitest'
import { checkHistory } from './checkHistory'
import { historyOf } from './testHistory'

describe('checkHistory', () => {
  const history = historyOf([
    [1, 'write', 'k', 'a', 0, 1],
    [1, 'write', 'k', 'b', 2, 3],
    [2, 'read', 'k', 'b', 4, 5],
  ])

  it('reports a clean run as valid', () => {
    const report = checkHistory({
      history,
      finalValues: new Map([['k', 'b']]),
      replicas: { node_0: { k: { value: 'b' } }, node_1: { k: { value: 'b' } } },
    })
    expect(report.valid).toBe(true)
    expect(report.linearizability.map((k) => k.verdict)).toEqual(['linearizable'])
  })

  it('reports each kind of anomaly and marks the run invalid', () => {
    const report = checkHistory({
      history: [...history, ...historyOf([[3, 'read', 'k', 'a', 6, 7]])],
      finalValues: new Map([['k', 'a']]),
      replicas: { node_0: { k: { value: 'a' } }, node_1: { k: { value: 'b' } } },
    })
    expect(report.valid).toBe(false)
    expect(report.readAnomalies.map((a) => a.kind)).toEqual(['stale-read'])
    expect(report.lostWrites.map((l) => l.op.value)).toEqual(['b'])
    expect(report.divergences.map((d) => d.key)).toEqual(['k'])
    expect(report.linearizability.map((k) => k.verdict)).toEqual(['not-linearizable'])
  })

  it('skips the linearizability search when told', () => {
    expect(checkHistory({ history, linearizability: false }).linearizability).toEqual([])
  })
})
