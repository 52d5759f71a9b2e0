import { describe, expect, it } from 'vitest'
import { isDbError } from '../errors'
import { seededRandom } from '../random'
import { freshEpoch, parseNodeMeta, resumeSeq, SEQS_PER_MS } from './nodeMeta'

describe('node metadata', () => {
  it('a fresh node has none; a valid record is read back', () => {
    expect(parseNodeMeta(undefined)).toMatchObject({ clock: 0, ownSeq: 0 })
    const m = parseNodeMeta({ clock: 7, ownSeq: 3, dots: { node_1: { max: 2, extra: [[5, 6]] } } })
    expect(m.ownSeq).toBe(3)
    expect(m.dots.highest('node_1' as never)).toBe(6)
  })

  it.each([null, [], 5, { clock: -1, ownSeq: 0, dots: {} }, { clock: 1, ownSeq: '3', dots: {} }])(
    'garbage %j is STORAGE_CORRUPT',
    (raw) => {
      let err: unknown
      try {
        parseNodeMeta(raw)
      } catch (e) {
        err = e
      }
      expect(isDbError(err) && err.code).toBe('STORAGE_CORRUPT')
    },
  )

  it('resumes past everything on disk and past the clock floor', () => {
    expect(resumeSeq(0, 0)).toBe(0)
    expect(resumeSeq(9, 0)).toBe(9)
    expect(resumeSeq(5, 3.7)).toBe(3 * SEQS_PER_MS)
    expect(resumeSeq(10_000, 3)).toBe(10_000)
  })
})

describe('node epoch in the metadata', () => {
  it('an absent record has no epoch; a stored one keeps it; a bad one is STORAGE_CORRUPT', () => {
    expect(parseNodeMeta(undefined).epoch).toBeNull()
    expect(parseNodeMeta({ clock: 1, ownSeq: 2, dots: {} }).epoch).toBe(0)
    expect(parseNodeMeta({ clock: 1, ownSeq: 2, dots: {}, epoch: 77 }).epoch).toBe(77)
    expect(() => parseNodeMeta({ clock: 1, ownSeq: 2, dots: {}, epoch: -1 })).toThrow(
      /STORAGE_CORRUPT.*epoch/,
    )
  })
  it('a fresh epoch is never 0 and differs between two draws in the same ms', () => {
    const r = seededRandom(1)
    const a = freshEpoch(0, r)
    const b = freshEpoch(0, r)
    expect(a).toBeGreaterThan(0)
    expect(a).not.toBe(b)
    expect(freshEpoch(5, r)).toBeGreaterThan(5000)
  })
})
