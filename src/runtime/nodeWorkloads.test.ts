import { describe, expect, it } from 'vitest'
import type { WorkloadSpec } from '../core/workload/generator'
import { NodeWorkloads, type WorkloadHost } from './nodeWorkloads'

describe('NodeWorkloads (the worker runtime’s node-side workload)', () => {
  it('hands every key count the nodes report to the cluster’s metrics; the charts get the rest', () => {
    const counted: Array<[string, number]> = []
    const w = new NodeWorkloads(
      () => [],
      (k, n) => counted.push([k, n]),
    )
    w.add({ done: 3, errors: 0, errorCodes: [], latenciesMs: [1, 2, 3], keyOps: { a: 2, b: 1 } })
    w.add({ done: 1, errors: 0, errorCodes: [], latenciesMs: [4], keyOps: { a: 1 } })
    expect(counted).toEqual([
      ['a', 2],
      ['b', 1],
      ['a', 1],
    ])
    const t = w.take()
    expect(t.done).toBe(4)
    expect(t.keyOps).toBeUndefined()
  })

  it('passes the spec (salts included) to every live node, split by rate', async () => {
    const specs: WorkloadSpec[] = []
    const host = (status: WorkloadHost['status']): WorkloadHost => ({
      status,
      api: {
        startWorkload: async (s: WorkloadSpec) => {
          specs.push(s)
          return { ok: true, value: null }
        },
        stopWorkload: async () => {},
      } as unknown as WorkloadHost['api'],
    })
    const w = new NodeWorkloads(() => [host('up'), host('up'), host('down')])
    await w.start({
      ratePerSec: 100,
      readFraction: 0.5,
      distribution: 'uniform',
      keyCount: 10,
      valueBytes: 8,
      concurrencyMax: 8,
      seed: 1,
      salted: [['hot', 4]],
    })
    expect(specs.map((s) => [s.ratePerSec, s.salted])).toEqual([
      [50, [['hot', 4]]],
      [50, [['hot', 4]]],
    ])
  })

  it('token-aware: every node draws candidates at the rate ÷ N (it issues only the keys it owns)', async () => {
    const specs: WorkloadSpec[] = []
    const host: WorkloadHost = {
      status: 'up',
      api: {
        startWorkload: async (s: WorkloadSpec) => {
          specs.push(s)
          return { ok: true, value: null }
        },
        stopWorkload: async () => {},
      } as unknown as WorkloadHost['api'],
    }
    const w = new NodeWorkloads(
      () => Array.from({ length: 16 }, () => host),
      () => {},
      () => 3,
    )
    const spec: WorkloadSpec = {
      ratePerSec: 2400,
      readFraction: 0.5,
      distribution: 'uniform',
      keyCount: 10,
      valueBytes: 8,
      concurrencyMax: 1024,
      seed: 1,
    }
    await w.start({ ...spec, coordinator: 'token-aware' })
    expect(new Set(specs.map((s) => [s.ratePerSec, s.concurrencyMax].join()))).toEqual(new Set(['800,64']))
    specs.length = 0
    await w.start(spec)
    expect(new Set(specs.map((s) => s.ratePerSec))).toEqual(new Set([150]))
    // Four of 16 down: the 12 live owners draw at rate ÷ (3 × 12/16), so the total stays 2,400.
    const down: WorkloadHost = { status: 'down', api: null }
    const some = new NodeWorkloads(
      () => [...Array.from({ length: 12 }, () => host), down, down, down, down],
      () => {},
      () => 3,
    )
    specs.length = 0
    await some.start({ ...spec, coordinator: 'token-aware' })
    expect(specs).toHaveLength(12)
    expect(specs[0].ratePerSec).toBeCloseTo(2400 / (3 * (12 / 16)), 6)
  })

  it('hands the page frame guard’s ceiling to every node that is up', async () => {
    const got: Array<[string, number]> = []
    const host = (id: string, status: WorkloadHost['status']): WorkloadHost => ({
      status,
      api: {
        setWorkloadCeiling: async (f: number) => void got.push([id, f]),
      } as unknown as WorkloadHost['api'],
    })
    const w = new NodeWorkloads(() => [host('a', 'up'), host('b', 'down'), host('c', 'up')])
    await w.setCeiling(0.4)
    expect(got).toEqual([
      ['a', 0.4],
      ['c', 0.4],
    ])
  })
})
