import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NodeId } from '../ids'
import { DotCloud } from './dotCloud'

const A = 'node_0' as NodeId

describe('DotCloud', () => {
  it('applies out-of-order seqs once each and advances the watermark when the gap closes', () => {
    const c = new DotCloud()
    expect(c.add(A, 3)).toBe(true)
    expect(c.add(A, 1)).toBe(true)
    expect(c.watermark(A)).toBe(1)
    expect(c.add(A, 3)).toBe(false)
    expect(c.add(A, 2)).toBe(true)
    expect(c.watermark(A)).toBe(3)
    expect(c.gapRanges()).toBe(0)
  })

  it('a late op below a later one is not dropped (the original bug)', () => {
    const c = new DotCloud()
    c.add(A, 5)
    expect(c.has(A, 4)).toBe(false)
    expect(c.add(A, 4)).toBe(true)
  })

  it('round-trips through JSON', () => {
    const c = new DotCloud()
    c.addRange(A, 1, 4)
    c.add(A, 9)
    const d = DotCloud.fromJson(JSON.parse(JSON.stringify(c.toJson())))
    expect(d.has(A, 4)).toBe(true)
    expect(d.has(A, 9)).toBe(true)
    expect(d.has(A, 5)).toBe(false)
  })

  it('matches a Set model for any arrival order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 200,
        }),
        (ops) => {
          const c = new DotCloud()
          const model = new Set<number>()
          for (const [seq, len] of ops) {
            if (len === 0) expect(c.add(A, seq)).toBe(!model.has(seq))
            else c.addRange(A, seq, seq + len)
            for (let s = seq; s <= seq + len; s++) model.add(s)
          }
          for (let s = 1; s <= 64; s++) expect(c.has(A, s)).toBe(model.has(s))
          let w = 0
          while (model.has(w + 1)) w++
          expect(c.watermark(A)).toBe(w)
        },
      ),
      { seed: 42 },
    )
  })
})

describe('DotCloud.fromJson validation and gaps', () => {
  it('rejects malformed JSON with BAD_INPUT naming the origin', () => {
    expect(() => DotCloud.fromJson('x')).toThrow(/BAD_INPUT/)
    expect(() => DotCloud.fromJson({ node_1: { max: -1, extra: [] } })).toThrow(/node_1: watermark -1/)
    expect(() => DotCloud.fromJson({ node_1: { max: 1, extra: [[2, 3]] } })).toThrow(/out of order/)
    expect(() => DotCloud.fromJson({ node_1: { max: 1, extra: [[4, 3]] } })).toThrow(/out of order/)
    expect(() => DotCloud.fromJson({ node_1: { max: 1, extra: [[4]] } })).toThrow(/not \[from, to\]/)
    expect(DotCloud.fromJson({ node_1: { max: 1, extra: [[3, 4]] } }).has('node_1' as NodeId, 4)).toBe(true)
  })

  it('extends the last range above a gap in place and reports the highest seq', () => {
    const c = new DotCloud()
    const o = 'node_0' as NodeId
    c.addRange(o, 1, 5)
    c.add(o, 1000)
    for (let s = 1001; s <= 1010; s++) c.add(o, s)
    expect(c.toJson()).toEqual({ node_0: { max: 5, extra: [[1000, 1010]] } })
    expect(c.highest(o)).toBe(1010)
    expect(c.watermark(o)).toBe(5)
  })
})
