import { describe, expect, it } from 'vitest'
import { CLUSTER_EVENTS_PER_SECOND, eventBudget, updateIntervalMs } from './eventBudget'

describe('per-worker event budget', () => {
  it('splits one cluster-wide budget across the nodes, so more nodes do not mean more events', () => {
    const perSecond = (n: number): number => eventBudget(n, 10).total * n * 10
    expect(perSecond(3)).toBeLessThanOrEqual(CLUSTER_EVENTS_PER_SECOND)
    expect(perSecond(16)).toBeLessThanOrEqual(CLUSTER_EVENTS_PER_SECOND * 1.1)
    expect(eventBudget(16, 10).total).toBeLessThan(eventBudget(3, 10).total)
  })

  it('keeps room for rare events: message and per-op events get a fraction of the total', () => {
    for (const n of [1, 3, 5, 16, 32, 64]) {
      const b = eventBudget(n, 10)
      expect(b.messages).toBeGreaterThanOrEqual(1)
      expect(b.messages).toBeLessThan(b.total)
      expect(b.perOp).toBeLessThan(b.total)
      expect(b.total).toBeLessThanOrEqual(200)
    }
  })
})

describe('worker update period', () => {
  it('is 100 ms for small clusters and grows with the node count, keeping the events per second', () => {
    expect(updateIntervalMs(3)).toBe(100)
    expect(updateIntervalMs(32)).toBeGreaterThan(updateIntervalMs(16))
    const perSecond = (n: number): number => {
      const ups = 1000 / updateIntervalMs(n)
      return eventBudget(n, ups).total * n * ups
    }
    expect(perSecond(32)).toBeLessThanOrEqual(CLUSTER_EVENTS_PER_SECOND * 1.1)
    expect(perSecond(32)).toBeGreaterThan(CLUSTER_EVENTS_PER_SECOND / 2)
  })
})
