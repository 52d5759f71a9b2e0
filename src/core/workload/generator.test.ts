import { describe, expect, it } from 'vitest'
import type { Timers } from '../env'
import { dbError, isDbError } from '../errors'
import { WorkloadGenerator, type WorkloadSpec } from './generator'

/** Virtual time: timers fire in order as `advance` moves the clock. */
function virtualTime() {
  let now = 0
  let next = 1
  const due = new Map<number, { at: number; fn: () => void }>()
  const timers: Timers = {
    set: (ms, fn) => {
      due.set(next, { at: now + ms, fn })
      return next++
    },
    clear: (h) => void due.delete(h),
  }
  const advance = async (ms: number): Promise<void> => {
    const end = now + ms
    for (;;) {
      const first = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0]
      if (!first || first[1].at > end) break
      due.delete(first[0])
      now = first[1].at
      first[1].fn()
      await Promise.resolve()
    }
    now = end
    await new Promise((r) => setImmediate(r))
  }
  return { timers, advance, now: () => now }
}

const SPEC: WorkloadSpec = {
  ratePerSec: 500,
  readFraction: 0.25,
  distribution: 'zipfian',
  keyCount: 50,
  valueBytes: 32,
  concurrencyMax: 64,
  seed: 7,
}

describe('workload generator', () => {
  it('issues the target rate with the read/write mix, and tallies completions, latencies and errors', async () => {
    const t = virtualTime()
    const ops: Array<{ kind: 'put' | 'read'; key: string; value?: string }> = []
    const client = {
      put: async (key: string, value: string) => {
        ops.push({ kind: 'put', key, value })
        if (ops.length % 10 === 0) throw dbError('QUORUM_NOT_MET', 'one of ten fails')
      },
      read: async (key: string) => {
        ops.push({ kind: 'read', key })
      },
    }
    const g = new WorkloadGenerator(SPEC, client, t.timers, t.now)
    await t.advance(2000)
    g.stop()
    expect(ops.length).toBeGreaterThan(900)
    expect(ops.length).toBeLessThanOrEqual(1000)
    const reads = ops.filter((o) => o.kind === 'read').length / ops.length
    expect(reads).toBeGreaterThan(0.15)
    expect(reads).toBeLessThan(0.35)
    expect(ops.every((o) => /^k\d{5}$/.test(o.key))).toBe(true)
    expect(ops.find((o) => o.kind === 'put')?.value).toHaveLength(32)
    const tally = g.take()
    expect(tally.done + tally.errors).toBe(ops.length)
    expect(tally.errors).toBeGreaterThan(0)
    expect(tally.errorCodes[0]).toMatch(/^QUORUM_NOT_MET: /)
    expect(tally.latenciesMs).toHaveLength(tally.done)
    expect(g.take().done).toBe(0)
    const before = ops.length
    await t.advance(1000)
    expect(ops.length).toBe(before)
  })

  it('never has more than concurrencyMax operations in flight', async () => {
    const t = virtualTime()
    const never = () => new Promise<void>(() => {})
    const g = new WorkloadGenerator(
      { ...SPEC, concurrencyMax: 8 },
      { put: never, read: never },
      t.timers,
      t.now,
    )
    await t.advance(1000)
    expect(g.operationsInFlight).toBe(8)
    g.stop()
  })

  it('counts the ticks that ended with ops due and the in-flight cap full (saturation on time)', async () => {
    const t = virtualTime()
    const fast = new WorkloadGenerator(SPEC, { put: async () => {}, read: async () => {} }, t.timers, t.now)
    await t.advance(1000)
    fast.stop()
    const kept = fast.take()
    expect(kept.ticks).toBeGreaterThanOrEqual(49)
    expect(kept.heldTicks ?? 0).toBe(0)
    const never = () => new Promise<void>(() => {})
    const stuck = new WorkloadGenerator(
      { ...SPEC, concurrencyMax: 8 },
      { put: never, read: never },
      t.timers,
      t.now,
    )
    await t.advance(1000)
    stuck.stop()
    const held = stuck.take()
    // The timers fired on time (no lag), yet almost every tick left ops waiting on the cap.
    expect(held.lagMs).toBeLessThan(1)
    expect(held.heldTicks).toBeGreaterThan(0.9 * (held.ticks ?? 0))
  })

  it('a ceiling (the page frame guard) bounds the rate issued, and the tally reports it', async () => {
    const t = virtualTime()
    let ops = 0
    const client = { put: async () => void ops++, read: async () => void ops++ }
    const g = new WorkloadGenerator(SPEC, client, t.timers, t.now)
    g.setCeiling(0.2)
    await t.advance(2000)
    g.stop()
    expect(ops).toBeGreaterThan(150)
    expect(ops).toBeLessThan(250)
    expect(g.take()).toMatchObject({ ceiling: 0.2, admitFraction: 0.2 })
  })

  it('rejects a bad spec with BAD_INPUT', () => {
    const t = virtualTime()
    const client = { put: async () => {}, read: async () => {} }
    for (const [bad, message] of [
      [{ ratePerSec: -1 }, /ratePerSec must be a number between 0 and 1000000, got -1/],
      [{ readFraction: 2 }, /readFraction must be a number between 0 and 1, got 2/],
      [{ keyCount: 0 }, /keyCount must be an integer between 1/],
      [{ keyCount: 1e9 }, /keyCount must be an integer between 1 and 1000000, got 1000000000/],
      [{ concurrencyMax: 0 }, /concurrencyMax must be an integer between 1/],
      [{ valueBytes: 2.5 }, /valueBytes must be an integer between 0 and 16777216, got 2.5/],
      [{ distribution: 'pareto' }, /distribution must be 'uniform' or 'zipfian', got "pareto"/],
      [{ level: 'MOST' }, /level must be one of ANY, ONE, TWO, THREE, QUORUM, ALL, got "MOST"/],
      [{ seed: 'x' }, /seed must be an integer, got "x"/],
      [{ rate: 5 }, /unknown field "rate"/],
      [{ readFractoin: 0.5 }, /unknown field "readFractoin" \(did you mean "readFraction"\?\)/],
    ] as const) {
      let error: unknown
      try {
        new WorkloadGenerator({ ...SPEC, ...bad } as typeof SPEC, client, t.timers, t.now)
      } catch (e) {
        error = e
      }
      expect(isDbError(error) && error.code).toBe('BAD_INPUT')
      expect((error as Error).message).toMatch(message)
    }
  })
})

describe('workload generator: hot-spot counts and salting', () => {
  it('tallies operations per key, and salts as the cluster does (writes round-robin, reads every variant)', async () => {
    const t = virtualTime()
    const puts: string[] = []
    const reads: string[] = []
    const client = {
      put: async (k: string) => void puts.push(k),
      read: async (k: string) => void reads.push(k),
    }
    const g = new WorkloadGenerator(
      { ...SPEC, keyCount: 1, readFraction: 0.5, salted: [['k00000', 3]] },
      client,
      t.timers,
      t.now,
    )
    await t.advance(200)
    g.stop()
    await t.advance(10)
    const tally = g.take()
    const ops = puts.length + reads.length / 4
    expect(tally.keyOps).toEqual({ k00000: ops })
    expect(new Set(puts)).toEqual(new Set(['0#k00000', '1#k00000', '2#k00000']))
    expect(reads.length % 4).toBe(0)
    expect(new Set(reads)).toEqual(new Set(['0#k00000', '1#k00000', '2#k00000', 'k00000']))
    // Unsalted: the keys as drawn, one count per operation.
    const plain = new WorkloadGenerator({ ...SPEC, keyCount: 5 }, client, t.timers, t.now)
    await t.advance(100)
    plain.stop()
    const counts = plain.take().keyOps ?? {}
    expect(Object.keys(counts).every((k) => /^k\d{5}$/.test(k))).toBe(true)
    expect(() => new WorkloadGenerator({ ...SPEC, salted: [['k', 1]] }, client, t.timers, t.now)).toThrow(
      /salted must be/,
    )
  })
})
