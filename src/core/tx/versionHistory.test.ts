import { describe, expect, it } from 'vitest'
import type { NodeId } from '../ids'
import type { RowVersion } from '../protocol/messages'
import { VersionHistory } from './versionHistory'

const row = (value: string | null, ts: number, node = 'node_0'): RowVersion => ({
  key: 'k',
  value,
  tombstone: value === null,
  version: { ts, node: node as NodeId },
  writtenAtMs: 0,
})

describe('VersionHistory', () => {
  it('answers the newest version at or below the snapshot, whatever order they were noted in', () => {
    const h = new VersionHistory()
    h.note('k', row('b', 20))
    h.note('k', row('a', 10))
    h.note('k', row('c', 30))
    h.note('k', row('b', 20)) // once
    expect(h.versionsOf('k')).toBe(3)
    expect(h.at('k', 25)?.row?.value).toBe('b')
    expect(h.at('k', 30)?.row?.value).toBe('c')
    expect(h.at('k', 10)?.row?.value).toBe('a')
    expect(h.at('k', 9)).toBeUndefined() // older than the oldest kept: unknown
    expect(h.at('other', 100)).toBeUndefined()
  })

  it('a key noted absent answers null for any snapshot before its first version', () => {
    const h = new VersionHistory()
    h.note('k', null)
    h.note('k', row('a', 10))
    expect(h.at('k', 5)).toEqual({ row: null })
    expect(h.at('k', 10)?.row?.value).toBe('a')
  })

  it('keeps the newest versions per key, the most recently noted keys, and a byte budget', () => {
    const h = new VersionHistory(3, 2, 10_000)
    for (let ts = 1; ts <= 5; ts++) h.note('k', row(`v${ts}`, ts))
    expect(h.versionsOf('k')).toBe(3)
    expect(h.at('k', 2)).toBeUndefined()
    expect(h.at('k', 3)?.row?.value).toBe('v3')
    h.note('j', row('j', 1))
    h.note('i', row('i', 1)) // a third key: the least recently noted ('k') goes
    expect(h.versionsOf('k')).toBe(0)
    const small = new VersionHistory(8, 100, 300)
    small.note('a', row('x'.repeat(200), 1))
    small.note('b', row('y'.repeat(200), 1)) // over 300 bytes: 'a' goes
    expect([small.versionsOf('a'), small.versionsOf('b')]).toEqual([0, 1])
  })
})
