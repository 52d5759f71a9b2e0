import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DISK_OPEN_STAGE } from '../cluster/failures'
import { MemoryDisk } from '../core/disk/memoryDisk'
import { IdbDisk } from '../hosts/idbDisk'
import { openNodeDisk } from './nodeStorage'

describe('openNodeDisk', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('opens IndexedDB when persisting and memory only when persist is false', async () => {
    expect(await openNodeDisk('node-ok', true)).toBeInstanceOf(IdbDisk)
    expect(await openNodeDisk('node-mem', false)).toBeInstanceOf(MemoryDisk)
  })

  it('never falls back to memory when IndexedDB is missing or its open throws', async () => {
    vi.stubGlobal('indexedDB', undefined)
    await expect(openNodeDisk('node-none', true)).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      details: { stage: DISK_OPEN_STAGE },
    })
    vi.stubGlobal('indexedDB', {
      open() {
        throw new DOMException('denied', 'SecurityError')
      },
    })
    await expect(openNodeDisk('node-denied', true)).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringMatching(/cannot make a write durable/),
    })
  })

  it('a VersionError (database from a newer schema) is STORAGE_UNAVAILABLE, not memory', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open('node-newer', 99)
      req.onsuccess = () => {
        req.result.close()
        resolve()
      }
      req.onerror = () => reject(req.error)
    })
    await expect(openNodeDisk('node-newer', true)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' })
  })

  it('fresh deletes the database before opening it', async () => {
    const disk = (await openNodeDisk('node-fresh', true)) as IdbDisk
    await disk.commit([{ type: 'put', store: 'meta', key: 'node', value: { ownSeq: 7 } }])
    disk.close()
    const again = await openNodeDisk('node-fresh', true, true)
    expect(await again.get('meta', 'node')).toBeUndefined()
  })
})
