import { describe, expect, it } from 'vitest'
import type { StoredRecord } from '../storage/engine'
import { ReadCache } from './readCache'

const rec = (value: string): StoredRecord => ({
  value,
  tombstone: false,
  meta: { ts: 1, node: 'node_0' },
  writtenAtMs: 0,
})

describe('ReadCache', () => {
  it('serves a hit without loading, evicts the least recently used, counts hits and misses', async () => {
    const c = new ReadCache(2)
    let loads = 0
    const load = async (k: string): Promise<StoredRecord | undefined> => {
      loads++
      return k === 'absent' ? undefined : rec(k)
    }
    await c.get('a', load)
    await c.get('b', load)
    expect((await c.get('a', load))?.value).toBe('a') // hit; 'a' is now the most recent
    await c.get('absent', load) // evicts 'b'
    expect(await c.get('absent', load)).toBeUndefined() // absent keys are cached too
    await c.get('b', load)
    expect(loads).toBe(4)
    expect(c.stats()).toMatchObject({ hits: 2, misses: 4, size: 2, capacity: 2 })
  })

  it('a write landing while a read is in flight keeps the read from filling the cache', async () => {
    const c = new ReadCache(10)
    let release: (r: StoredRecord) => void = () => {}
    const pending = c.get('k', () => new Promise((r) => (release = r)))
    c.invalidate('k') // the newer row became durable meanwhile
    release(rec('old'))
    expect((await pending)?.value).toBe('old')
    expect((await c.get('k', async () => rec('new')))?.value).toBe('new')
  })
})
