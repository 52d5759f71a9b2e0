import { describe, expect, it } from 'vitest'
import { reuseEqual } from './reuse'

describe('reuseEqual', () => {
  it('keeps identity of unchanged elements and of the whole list', () => {
    const prev = [
      { id: 'a', position: { x: 1, y: 2 }, data: { n: 1, arr: [1, 2] } },
      { id: 'b', position: { x: 0, y: 0 }, data: { n: 2, arr: [] } },
    ]
    const same = prev.map((p) => ({
      ...p,
      position: { ...p.position },
      data: { ...p.data, arr: [...p.data.arr] },
    }))
    expect(reuseEqual(prev, same)).toBe(prev)
    const changed = [same[0], { ...same[1], data: { n: 3, arr: [] } }]
    const out = reuseEqual(prev, changed)
    expect(out).not.toBe(prev)
    expect(out[0]).toBe(prev[0])
    expect(out[1]).toBe(changed[1])
  })
})
