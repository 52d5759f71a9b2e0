import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RedBlackTree, redBlackViolation, successor } from './redBlackTree'

const byteSize = (key: string, value: string): number => key.length + value.length

describe('RedBlackTree', () => {
  it('keeps the red-black invariants, order, size and bytes after random inserts (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 6 })), { maxLength: 300 }),
        (ops) => {
          const tree = new RedBlackTree<string>(byteSize)
          const model = new Map<string, string>()
          for (const [k, v] of ops) {
            expect(tree.set(k, v)).toBe(model.get(k))
            model.set(k, v)
            expect(redBlackViolation(tree)).toBeUndefined()
          }
          const sorted = [...model.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          expect([...tree.entries()]).toEqual(sorted)
          expect(tree.size).toBe(model.size)
          expect(tree.bytes).toBe(sorted.reduce((s, [k, v]) => s + byteSize(k, v), 0))
          for (const [k, v] of model) expect(tree.get(k)).toBe(v)
        },
      ),
      { seed: 20260301, numRuns: 200 },
    )
  })

  it('iterates from a start key, inclusive', () => {
    const tree = new RedBlackTree<number>(() => 1)
    for (const k of ['d', 'b', 'f', 'a', 'c', 'e']) tree.set(k, k.charCodeAt(0))
    expect([...tree.entries('c')].map(([k]) => k)).toEqual(['c', 'd', 'e', 'f'])
    expect([...tree.entries('cc')].map(([k]) => k)).toEqual(['d', 'e', 'f'])
    expect([...tree.entries('z')]).toEqual([])
    expect(tree.get('zz')).toBeUndefined()
  })

  it('stays balanced on sorted input (height <= 2 log2(n+1))', () => {
    const tree = new RedBlackTree<number>(() => 1)
    for (let i = 0; i < 4096; i++) tree.set(String(i).padStart(6, '0'), i)
    const height = (n: typeof tree.root): number => (n ? 1 + Math.max(height(n.left), height(n.right)) : 0)
    expect(height(tree.root)).toBeLessThanOrEqual(2 * Math.log2(4097))
    expect(redBlackViolation(tree)).toBeUndefined()
  })

  it('a cursor stays valid while inserts rotate the tree under it', () => {
    const tree = new RedBlackTree<number>(() => 1)
    for (let i = 0; i < 100; i += 2) tree.set(String(i).padStart(3, '0'), i)
    let node = tree.seek('010')
    const seen: string[] = []
    let i = 1
    while (node) {
      seen.push(node.key)
      if (i < 100) tree.set(String(i).padStart(3, '0'), i) // odd keys, some ahead of the cursor
      i += 2
      node = successor(node)
    }
    expect(seen).toEqual([...seen].sort())
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.filter((k) => Number(k) % 2 === 0).length).toBe(45)
    expect(redBlackViolation(tree)).toBeUndefined()
  })
})
