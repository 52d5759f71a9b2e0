import { describe, expect, it } from 'vitest'
import { CrdtBook } from './crdtLive'

describe('CrdtBook: CRDT losses against the merged final state', () => {
  it('a counter is exact between acknowledged and acknowledged-plus-indeterminate ops', () => {
    const b = new CrdtBook()
    b.add({ key: 'c', op: { inc: 2 }, outcome: 'ok', time: 1 })
    b.add({ key: 'c', op: { inc: 3 }, outcome: 'info', time: 2 })
    b.add({ key: 'c', op: { dec: 1 }, outcome: 'ok', time: 3 })
    b.add({ key: 'c', op: { inc: 100 }, outcome: 'fail', time: 4 })
    const at = (v: number) => b.check(new Map([['c', { type: 'pncounter', value: v }]]), 9)
    expect(at(1)).toEqual([])
    expect(at(4)).toEqual([])
    const [loss] = at(0)
    expect(loss.kind).toBe('crdt-loss')
    expect(loss.title).toBe(
      'c = 0, outside [1, 4] (acknowledged increments and decrements, ± indeterminate ones)',
    )
    expect(at(5)).toHaveLength(1)
  })

  it('an acknowledged OR-Set add nobody removed must be in the set; a removed one need not', () => {
    const b = new CrdtBook()
    b.add({ key: 's', op: { add: 'x' }, outcome: 'ok', node: 'node_1', opId: 'node_1:5', time: 1 })
    b.add({ key: 's', op: { add: 'y' }, outcome: 'ok', time: 2 })
    b.add({ key: 's', op: { remove: 'y' }, outcome: 'info', time: 3 })
    b.add({ key: 's', op: { add: 'z' }, outcome: 'info', time: 4 })
    expect(b.check(new Map([['s', { type: 'orset', value: ['x'] }]]), 9)).toEqual([])
    const [loss] = b.check(new Map([['s', { type: 'orset', value: [] }]]), 9)
    expect(loss.title).toBe("acknowledged add of 'x' to s is not in the merged set")
    expect(loss.nodes).toEqual(['node_1'])
    expect(loss.opIds).toEqual(['node_1:5'])
  })
})
