import { describe, expect, it } from 'vitest'
import { exchangePathText, mismatchGrid, savingText, treeDrawing } from './merkleView'

const h = (c: string) => c.repeat(16)
const a = [
  [h('a')],
  [h('1'), h('2'), h('3'), h('0')],
  Array.from({ length: 16 }, (_, i) => h(String(i % 10))),
]
const b = [[h('b')], [h('1'), h('9'), h('3'), h('0')], a[2].map((x, i) => (i === 6 ? h('f') : x))]

describe('Merkle view', () => {
  it('draws the top levels as a tree: each node linked to its parent, the mismatch path marked', () => {
    const grid = mismatchGrid(a, b)
    const d = treeDrawing(a, grid, 240, 40, 10)
    expect(d.nodes).toHaveLength(21)
    expect(d.links).toHaveLength(20)
    expect(d.mismatched).toBe(3)
    // The path: root → child #1 → leaf #6 (a child of #1 in a 4-ary tree).
    const path = d.links.filter((l) => l.path)
    expect(path).toHaveLength(2)
    const node = (l: number, i: number) => d.nodes.find((n) => n.level === l && n.index === i)!
    expect(path[0]).toMatchObject({ x1: node(0, 0).x, y1: node(0, 0).y, x2: node(1, 1).x, y2: node(1, 1).y })
    expect(path[1]).toMatchObject({ x1: node(1, 1).x, x2: node(2, 6).x, y2: node(2, 6).y })
    expect(node(1, 3).empty).toBe(true)
    expect(d.height).toBe(100)
  })

  it('says what the exchange found, and when the roots match', () => {
    const grid = mismatchGrid(a, b)
    expect(exchangePathText(grid, 1024, { mismatchedLeaves: 7, keysSent: 9, keysReceived: 2 })).toBe(
      'The roots differ; the exchange followed 1 of 4 subtrees down to 7 mismatched leaves (of 1024) and sent only their rows: 9 rows sent, 2 received.',
    )
    expect(exchangePathText(mismatchGrid(a, a), 1024, null)).toMatch(/^The roots match/)
    expect(exchangePathText(grid, 1024, { mismatchedLeaves: 0, keysSent: 0, keysReceived: 0 })).toMatch(
      /already matched/,
    )
    expect(
      exchangePathText(grid, 1024, {
        mismatchedLeaves: 0,
        keysSent: 0,
        keysReceived: 0,
        error: 'node_2 timed out',
      }),
    ).toBe('The exchange stopped early: node_2 timed out.')
  })

  it('explains the saving, and says when small ranges cost more than a full copy', () => {
    expect(savingText(100, 1000)).toMatch(/^Saved 90%/)
    expect(savingText(1500, 1000)).toMatch(/^Cost 50% more than a full copy/)
    expect(savingText(10, 0)).toMatch(/^Nothing to compare/)
  })
})
