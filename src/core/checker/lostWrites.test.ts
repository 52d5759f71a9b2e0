import { describe, expect, it } from 'vitest'
import { pairOperations } from './history'
import { findLostWrites } from './lostWrites'
import { historyOf, type OpRow } from './testHistory'

function check(rows: OpRow[], final: Record<string, string | null>, order?: Record<string, string[]>) {
  return findLostWrites({
    ops: pairOperations(historyOf(rows)),
    finalValues: new Map(Object.entries(final)),
    versionOrder: order && new Map(Object.entries(order)),
  })
}

describe('findLostWrites', () => {
  it('passes when the final value is the last acknowledged write', () => {
    const rows: OpRow[] = [
      [1, 'write', 'k', 'a', 0, 1],
      [1, 'write', 'k', 'b', 2, 3],
      [2, 'write', 'j', 'x', 0, 1],
      [2, 'delete', 'j', null, 2, 3],
    ]
    expect(check(rows, { k: 'b', j: null })).toEqual([])
    expect(check(rows, { k: 'b' })).toEqual([]) // a missing key means no value
  })

  it('flags an acknowledged write when the final value was written before it', () => {
    const [lost, ...rest] = check(
      [
        [1, 'write', 'k', 'a', 0, 1],
        [1, 'write', 'k', 'b', 2, 3],
      ],
      { k: 'a' },
    )
    expect(rest).toEqual([])
    expect(lost).toMatchObject({
      kind: 'lost-write',
      key: 'k',
      op: { value: 'b' },
      finalValue: 'a',
      reason: 'final-state-older',
    })
    expect(lost.finalMutations.map((m) => m.value)).toEqual(['a'])
  })

  it('flags an acknowledged write when nothing remains and nothing deleted it', () => {
    expect(check([[1, 'write', 'k', 'a', 0, 1]], { k: null }).map((l) => l.kind)).toEqual(['lost-write'])
  })

  it('flags a lost delete (a zombie) when deleted data comes back', () => {
    const lost = check(
      [
        [1, 'write', 'k', 'a', 0, 1],
        [1, 'delete', 'k', null, 2, 3],
      ],
      { k: 'a' },
    )
    expect(lost.map((l) => [l.kind, l.op.f])).toEqual([['lost-delete', 'delete']])
  })

  it('accepts losing to a concurrent write unless the version order ranked the winner older', () => {
    const rows: OpRow[] = [
      [1, 'write', 'k', 'a', 0, 5],
      [2, 'write', 'k', 'b', 1, 6],
    ]
    expect(check(rows, { k: 'a' })).toEqual([])
    expect(check(rows, { k: 'a' }, { k: ['b', 'a'] })).toEqual([])
    const lost = check(rows, { k: 'a' }, { k: ['a', 'b'] })
    expect(lost.map((l) => [l.op.value, l.reason])).toEqual([['b', 'ranked-older']])
  })

  it('accepts a write superseded by a later indeterminate write, and ignores failed writes', () => {
    expect(
      check(
        [
          [1, 'write', 'k', 'a', 0, 1],
          [1, 'write', 'k', 'b', 2, 3, 'info'],
          [2, 'write', 'j', 'x', 0, 1],
          [2, 'write', 'j', 'y', 2, 3, 'fail'],
        ],
        { k: 'b', j: 'x' },
      ),
    ).toEqual([])
  })
})
