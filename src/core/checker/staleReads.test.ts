import { describe, expect, it } from 'vitest'
import { type CompletedOp, opsByKey, pairOperations, precedes } from './history'
import { findStaleReads, type ReadAnomaly } from './staleReads'
import { historyOf, type OpRow, randomHistory } from './testHistory'

const check = (rows: OpRow[]) => findStaleReads(pairOperations(historyOf(rows)))

describe('findStaleReads', () => {
  it('passes a correct history, including reads concurrent with writes', () => {
    expect(
      check([
        [1, 'write', 'k', 'a', 0, 1],
        [2, 'read', 'k', 'a', 2, 3],
        [1, 'write', 'k', 'b', 4, 10],
        [2, 'read', 'k', 'a', 5, 6], // b still in flight: old value allowed
        [3, 'read', 'k', 'b', 7, 8], // or the new one
        [1, 'delete', 'k', null, 11, 12],
        [2, 'read', 'k', null, 13, 14],
        [2, 'read', 'j', null, 15, 16], // never written
      ]),
    ).toEqual([])
  })

  it('flags a read of a value overwritten before the read began', () => {
    const [anomaly, ...rest] = check([
      [1, 'write', 'k', 'a', 0, 1],
      [1, 'write', 'k', 'b', 2, 3],
      [2, 'read', 'k', 'a', 4, 5],
    ])
    expect(rest).toEqual([])
    expect(anomaly).toMatchObject({
      kind: 'stale-read',
      key: 'k',
      read: { f: 'read', value: 'a', start: 4 },
      returnedWrite: { value: 'a', start: 0 },
      supersededBy: { f: 'write', value: 'b', start: 2 },
    })
  })

  it('flags a read of a deleted value, and a null read after an acknowledged write', () => {
    const anomalies = check([
      [1, 'write', 'k', 'a', 0, 1],
      [1, 'delete', 'k', null, 2, 3],
      [2, 'read', 'k', 'a', 4, 5],
      [3, 'write', 'j', 'x', 0, 1],
      [2, 'read', 'j', null, 6, 7],
    ])
    expect(
      anomalies.map((a) => [a.kind, a.key, a.read.value, a.kind === 'stale-read' && a.supersededBy.f]),
    ).toEqual([
      ['stale-read', 'k', 'a', 'delete'],
      ['stale-read', 'j', null, 'write'],
    ])
  })

  it('lets a concurrent or indeterminate delete explain a null read', () => {
    expect(
      check([
        [1, 'write', 'k', 'a', 0, 1],
        [1, 'delete', 'k', null, 2, 10],
        [2, 'read', 'k', null, 3, 4],
        [3, 'write', 'j', 'a', 0, 1],
        [3, 'delete', 'j', null, 2, 3, 'info'],
        [2, 'read', 'j', null, 5, 6],
      ]),
    ).toEqual([])
  })

  it('ignores failed writes as superseders but reports reads of their values', () => {
    const anomalies = check([
      [1, 'write', 'k', 'a', 0, 1],
      [1, 'write', 'k', 'b', 2, 3, 'fail'],
      [2, 'read', 'k', 'a', 4, 5],
      [2, 'read', 'k', 'b', 6, 7],
    ])
    expect(anomalies.map((a) => [a.kind, a.read.value])).toEqual([['unwritten-read', 'b']])
  })

  it('treats an indeterminate write as possibly applied, and an indeterminate superseder as unproven', () => {
    expect(
      check([
        [1, 'write', 'k', 'a', 0, 1],
        [1, 'write', 'k', 'b', 2, 3, 'info'],
        [2, 'read', 'k', 'b', 4, 5],
        [3, 'read', 'k', 'a', 6, 7],
      ]).map((a) => a.kind),
    ).toEqual([])
  })

  it('flags a read of a value written only after the read completed', () => {
    const anomalies = check([
      [2, 'read', 'k', 'a', 0, 1],
      [1, 'write', 'k', 'a', 2, 3],
    ])
    expect(anomalies.map((a) => a.kind)).toEqual(['future-read'])
  })
})

/** The detector as first written (O(reads × writes) with filters), the reference for the faster one. */
function referenceStaleReads(ops: readonly CompletedOp[]): ReadAnomaly[] {
  const latest = (xs: CompletedOp[]) =>
    xs.reduce<CompletedOp | undefined>(
      (best, op) => (best === undefined || op.end > best.end ? op : best),
      undefined,
    )
  const out: ReadAnomaly[] = []
  for (const [key, keyOps] of opsByKey(ops)) {
    const mutations = keyOps.filter((op) => op.f !== 'read')
    const writeOf = new Map<string, CompletedOp>()
    for (const m of mutations) if (m.f === 'write' && m.value !== null) writeOf.set(m.value, m)
    for (const read of keyOps) {
      if (read.f !== 'read' || read.outcome !== 'ok') continue
      const before = mutations.filter((m) => m.outcome === 'ok' && precedes(m, read))
      if (read.value !== null) {
        const write = writeOf.get(read.value)
        if (!write) out.push({ kind: 'unwritten-read', key, read })
        else if (precedes(read, write)) out.push({ kind: 'future-read', key, read, write })
        else {
          const over = latest(before.filter((x) => x !== write && precedes(write, x)))
          if (over) out.push({ kind: 'stale-read', key, read, returnedWrite: write, supersededBy: over })
        }
        continue
      }
      const unexplained = before.filter(
        (x) =>
          x.f === 'write' &&
          !mutations.some((d) => d.f === 'delete' && d.end >= x.start && d.start <= read.end),
      )
      const over = latest(unexplained)
      if (over) out.push({ kind: 'stale-read', key, read, supersededBy: over })
    }
  }
  return out.sort((a, b) => a.read.index - b.read.index)
}

describe('findStaleReads equals its reference implementation', () => {
  it('on 500 random histories (same anomalies, same ops chosen)', () => {
    let n = 0
    for (let seed = 1; seed <= 500; seed++) {
      const ops = pairOperations(randomHistory(seed, 5, 14, 2))
      const want = referenceStaleReads(ops)
      n += want.length
      expect(findStaleReads(ops), `seed ${seed}`).toEqual(want)
    }
    expect(n).toBeGreaterThan(500)
  })
})
