import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pairOperations } from './history'
import { checkKeyLinearizable, checkLinearizability } from './linearizability'
import { findStaleReads } from './staleReads'
import { historyOf, type OpRow } from './testHistory'

const verdicts = (rows: OpRow[], options = {}) =>
  checkLinearizability(pairOperations(historyOf(rows)), options).map((k) => [k.key, k.verdict])

describe('checkLinearizability', () => {
  it('accepts a concurrent history that has a valid order', () => {
    expect(
      verdicts([
        [1, 'write', 'k', 'a', 0, 10],
        [2, 'write', 'k', 'b', 1, 11],
        [3, 'read', 'k', 'b', 2, 3],
        [4, 'read', 'k', 'a', 12, 13], // a linearized after b
        [5, 'delete', 'j', null, 0, 1],
        [6, 'read', 'j', null, 2, 3],
      ]),
    ).toEqual([
      ['k', 'linearizable'],
      ['j', 'linearizable'],
    ])
  })

  it('rejects a stale read and names the op it could not place', () => {
    const [result] = checkLinearizability(
      pairOperations(
        historyOf([
          [1, 'write', 'k', 'a', 0, 1],
          [1, 'write', 'k', 'b', 2, 3],
          [2, 'read', 'k', 'a', 4, 5],
        ]),
      ),
    )
    expect(result.verdict).toBe('not-linearizable')
    expect(result.unplaced?.map((o) => [o.f, o.value])).toEqual([['read', 'a']])
  })

  it('treats an info write as applied or not, but not both', () => {
    const base: OpRow[] = [
      [1, 'write', 'k', 'a', 0, 1],
      [1, 'write', 'k', 'b', 2, 3, 'info'],
    ]
    expect(verdicts([...base, [2, 'read', 'k', 'b', 10, 11]])).toEqual([['k', 'linearizable']])
    expect(verdicts([...base, [2, 'read', 'k', 'a', 10, 11]])).toEqual([['k', 'linearizable']])
    expect(verdicts([...base, [2, 'read', 'k', 'b', 10, 11], [2, 'read', 'k', 'a', 12, 13]])).toEqual([
      ['k', 'not-linearizable'],
    ])
  })

  it('ignores failed writes', () => {
    expect(
      verdicts([
        [1, 'write', 'k', 'a', 0, 1, 'fail'],
        [2, 'read', 'k', null, 2, 3],
      ]),
    ).toEqual([['k', 'linearizable']])
  })

  it('answers unknown past its bounds instead of searching forever', () => {
    const many: OpRow[] = Array.from({ length: 16 }, (_, i) => [i, 'write', 'k', `v${i}`, 0, 100] as OpRow)
    expect(verdicts(many, { maxOpsPerKey: 10 })).toEqual([['k', 'unknown']])
    const reads: OpRow[] = Array.from(
      { length: 16 },
      (_, i) => [100 + i, 'read', 'k', 'never', 0, 100] as OpRow,
    )
    const [result] = checkLinearizability(pairOperations(historyOf([...many, ...reads])), { maxStates: 500 })
    expect(result.verdict).toBe('unknown')
    expect(result.statesExplored).toBeGreaterThan(500)
  })

  it('finds every history of a real atomic register linearizable and stale-free (property)', () => {
    const seed = Date.now() % 1_000_000
    console.log(`register history property seed=${seed}`)
    // Ops on 3 processes with random overlapping intervals; each takes effect at a random instant
    // inside its interval against one register, so the history is linearizable by construction.
    const opArb = fc.record({
      f: fc.constantFrom('read', 'write', 'delete'),
      start: fc.integer({ min: 0, max: 60 }),
      length: fc.integer({ min: 1, max: 10 }),
      at: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    })
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 12 }), (specs) => {
        const busyUntil = [-1, -1, -1]
        const placed = specs.flatMap((s, i) => {
          const p = busyUntil.findIndex((t) => t < s.start)
          if (p < 0) return []
          busyUntil[p] = s.start + s.length
          return [{ ...s, process: p, value: `v${i}`, instant: s.start + s.length * s.at }]
        })
        let register: string | null = null
        const rows: OpRow[] = []
        for (const op of [...placed].sort((a, b) => a.instant - b.instant)) {
          if (op.f === 'write') register = op.value
          if (op.f === 'delete') register = null
          const value = op.f === 'read' ? register : op.f === 'write' ? op.value : null
          rows.push([op.process, op.f as OpRow[1], 'k', value, op.start, op.start + op.length])
        }
        const ops = pairOperations(historyOf(rows))
        expect(findStaleReads(ops)).toEqual([])
        expect(checkKeyLinearizable('k', ops).verdict).toBe('linearizable')
      }),
      { seed, numRuns: 300 },
    )
  })
})

describe('linearizability from an unknown initial state (a sliding window)', () => {
  it('lets the first read see a value written before the window, but not a later contradiction', () => {
    const ops = pairOperations(
      historyOf([
        [1, 'read', 'k', 'old', 0, 1],
        [1, 'write', 'k', 'a', 2, 3],
        [2, 'read', 'k', 'a', 4, 5],
      ]),
    )
    expect(checkKeyLinearizable('k', ops).verdict).toBe('not-linearizable')
    expect(checkKeyLinearizable('k', ops, { initialUnknown: true }).verdict).toBe('linearizable')
    const bad = pairOperations(
      historyOf([
        [1, 'write', 'k', 'a', 0, 1],
        [2, 'read', 'k', 'old', 2, 3],
      ]),
    )
    expect(checkKeyLinearizable('k', bad, { initialUnknown: true }).verdict).toBe('not-linearizable')
  })
})
