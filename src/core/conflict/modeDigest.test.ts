/**
 * ConflictMode.digest: a stored row carries no digest (it was ~20 incompressible bytes of every row
 * written to IndexedDB); the mode computes it from the row, equal for equal states however each
 * replica reached them, and different when a replica misses a sibling.
 */
import { describe, expect, it } from 'vitest'
import type { StoredRecord } from '../storage/engine'
import { conflictModeFor } from '.'
import { lwwMode } from './lww'

const row = (value: string, ts: number, node = 'node_0'): StoredRecord => ({
  value,
  tombstone: false,
  meta: { ts, node },
  writtenAtMs: 0,
})

describe('ConflictMode.digest', () => {
  const mode = conflictModeFor({ consistencyMode: 'vector', siblingsMax: 16 })
  const write = (held: StoredRecord | undefined, value: string, self: string, ts: number) => {
    const w = mode.prepare('k', value, undefined)!
    return row(mode.build('k', held, w, self, ts), ts, self)
  }

  it('stores no digest in a merged row and gives replicas holding equal sets one digest', () => {
    const a = write(undefined, 'milk', 'node_0', 1)
    const b = write(undefined, 'eggs', 'node_1', 2)
    const ab = mode.resolve('k', a, b)!
    const ba = mode.resolve('k', b, a)!
    expect(Object.keys(ab.meta as object).sort()).toEqual(['node', 'ts'])
    expect(Object.keys(ba.meta as object).sort()).toEqual(['node', 'ts'])
    // Reparsed from their text, as a row read back from a table is.
    const fromDisk = (r: StoredRecord): StoredRecord => ({ ...r, meta: { ...(r.meta as object) } })
    expect(mode.digest('k', fromDisk(ab))).toBe(mode.digest('k', fromDisk(ba)))
    expect(mode.digest('k', fromDisk(ab))).not.toBe(mode.digest('k', a))
    expect(mode.resolve('k', fromDisk(ab), ba)).toBeNull() // nothing new: equal digests
  })

  it('is ts@node for LWW rows and for keys a crdt cluster does not merge', () => {
    expect(lwwMode.digest('k', row('v', 7, 'node_2'))).toBe('7@node_2')
    const crdt = conflictModeFor({ consistencyMode: 'crdt', crdtConfig: { c: 'gcounter' } })
    expect(crdt.digest('other', row('v', 3, 'node_1'))).toBe('3@node_1')
  })
})
