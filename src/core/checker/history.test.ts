import { describe, expect, it } from 'vitest'
import { type HistoryOp, pairOperations } from './history'
import { historyOf } from './testHistory'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

describe('pairOperations', () => {
  it('pairs invokes with completions, keeping the written value and the value read', () => {
    const ops = pairOperations(
      historyOf([
        [1, 'write', 'k', 'a', 0, 2],
        [2, 'read', 'k', 'a', 1, 3],
        [1, 'delete', 'k', null, 4, 5],
      ]),
    )
    expect(ops.map((o) => [o.f, o.value, o.start, o.end, o.outcome])).toEqual([
      ['write', 'a', 0, 2, 'ok'],
      ['read', 'a', 1, 3, 'ok'],
      ['delete', null, 4, 5, 'ok'],
    ])
  })

  it('drops failed ops and indeterminate reads; info and unfinished mutations end at Infinity', () => {
    const ops = pairOperations(
      historyOf([
        [1, 'write', 'k', 'failed', 0, 1, 'fail'],
        [2, 'read', 'k', null, 0, 1, 'info'],
        [3, 'write', 'k', 'maybe', 0, 1, 'info'],
        [4, 'delete', 'k', null, 2],
      ]),
    )
    expect(ops.map((o) => [o.f, o.value, o.end, o.outcome])).toEqual([
      ['write', 'maybe', Number.POSITIVE_INFINITY, 'info'],
      ['delete', null, Number.POSITIVE_INFINITY, 'info'],
    ])
  })

  it.each<[string, HistoryOp[]]>([
    [
      'a second invoke while one is open',
      [
        { process: 1, type: 'invoke', f: 'read', key: 'k', value: null, time: 0 },
        { process: 1, type: 'invoke', f: 'read', key: 'k', value: null, time: 1 },
      ],
    ],
    [
      'a completion with nothing invoked',
      [{ process: 1, type: 'ok', f: 'read', key: 'k', value: null, time: 0 }],
    ],
    [
      'a completion for another key',
      [
        { process: 1, type: 'invoke', f: 'read', key: 'k', value: null, time: 0 },
        { process: 1, type: 'ok', f: 'read', key: 'j', value: null, time: 1 },
      ],
    ],
  ])('rejects %s with BAD_INPUT', (_, history) => {
    expect(codeOf(() => pairOperations(history))).toBe('BAD_INPUT')
  })
})
