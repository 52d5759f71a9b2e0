import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runStorageEngineContract } from '../core/storage/engineContract.testSuite'
import { IdbDisk, idbError } from './idbDisk'

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

  it('reports a failed open as STORAGE_UNAVAILABLE', async () => {
    vi.stubGlobal('indexedDB', {
      open() {
        throw new DOMException('denied', 'SecurityError')
      },
    })
    await expect(IdbDisk.open('denied')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' })
  })
})
