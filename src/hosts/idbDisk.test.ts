import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemoryDisk } from '../core/disk/memoryDisk'
import { runStorageEngineContract } from '../core/storage/engineContract.testSuite'
import { IdbDisk, idbError, openDiskOrMemory } from './idbDisk'

runStorageEngineContract('IdbDisk', (name) => IdbDisk.open(name))

describe('IdbDisk', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('maps QuotaExceededError to QUOTA_EXCEEDED and other failures to coded errors', () => {
    expect(idbError(new DOMException('full', 'QuotaExceededError'), 'x').code).toBe('QUOTA_EXCEEDED')
    expect(idbError(new DOMException('no', 'DataCloneError'), 'x').code).toBe('BAD_INPUT')
    expect(idbError(new DOMException('gone', 'InvalidStateError'), 'x').code).toBe('STORAGE_UNAVAILABLE')
  })

  it('openDiskOrMemory returns IndexedDB when available, else MemoryDisk with a visible warning', async () => {
    const ok = await openDiskOrMemory('fallback-ok')
    expect(ok.disk).toBeInstanceOf(IdbDisk)
    expect(ok.warning).toBeUndefined()
    vi.stubGlobal('indexedDB', undefined)
    const fallback = await openDiskOrMemory('fallback-none')
    expect(fallback.disk).toBeInstanceOf(MemoryDisk)
    expect(fallback.warning).toMatch(/IndexedDB is unavailable.*memory only/)
  })

  it('reports a failed open as STORAGE_UNAVAILABLE', async () => {
    vi.stubGlobal('indexedDB', {
      open() {
        throw new DOMException('denied', 'SecurityError')
      },
    })
    await expect(IdbDisk.open('denied')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' })
  })
})
