import { describe, expect, it } from 'vitest'
import { runAb } from './abCompare'
import { AB_PRESETS } from './abPresets'

describe('A/B compare', () => {
  it('the quorum-overlap preset: R=W=1 reads stale with R + W ≤ N as cause; R=W=2 reports none and is less available during the partition', async () => {
    const [a, b] = await runAb(AB_PRESETS[0])
    expect(a.verdict.byKind['stale-read']).toBeGreaterThan(0)
    const stale = a.verdict.list.find((x) => x.kind === 'stale-read')!
    expect(stale.causes[0]).toBe('R + W ≤ N (1 + 1 ≤ 3)')
    expect(b.verdict.anomalies).toBe(0)
    expect(b.verdict.headline).toMatch(/0 anomalies, linearizable per key$/)
    // The same workload on both sides: same number of operations.
    expect(a.okOps + a.failedOps).toBe(b.okOps + b.failedOps)
    // During the partition (1.5 s – 6 s) the strict side refuses ops the other accepts.
    const during = (r: typeof a) =>
      r.availability.filter((x, i) => x !== null && r.tSec[i] >= 2 && r.tSec[i] < 6) as number[]
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
    expect(mean(during(b))).toBeLessThan(mean(during(a)))
    expect(a.bands).toEqual([{ x0: 1.5, x1: 6, label: 'partition node_0,node_1 | node_2,node_3,node_4' }])
  })

  it('is deterministic: the same spec gives the same verdicts and charts', async () => {
    const spec = { ...AB_PRESETS[0], opsPerProcess: 10 }
    const [a1] = await runAb(spec)
    const [a2] = await runAb(spec)
    expect(a2.verdict.headline).toBe(a1.verdict.headline)
    expect(a2.availability).toEqual(a1.availability)
  })
})

describe('A/B compare progress', () => {
  it('reports each side’s ops as they complete, then its final check', async () => {
    const spec = { ...AB_PRESETS[0], opsPerProcess: 10 }
    const seen: string[] = []
    let last = -1
    await runAb(spec, (p) => {
      seen.push(`${p.side}:${p.phase}`)
      if (p.side === 0 && p.phase === 'workload') {
        expect(p.opsDone).toBeGreaterThan(last)
        last = p.opsDone
      }
      expect(p.opsTotal).toBe(spec.processes * spec.opsPerProcess)
    })
    expect(seen.filter((s) => s === '0:workload').length).toBeGreaterThan(3)
    expect(seen.indexOf('0:done')).toBeLessThan(seen.indexOf('1:workload'))
    expect(seen.at(-1)).toBe('1:done')
  })
})
