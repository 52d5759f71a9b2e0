/** The Disk contract: one suite, run against MemoryDisk and IdbDisk (diskContract.test.ts). */
import { describe, expect, it } from 'vitest'
import type { Disk } from '../core/disk/disk'
import { isDbError } from '../core/errors'

export interface DiskBackend {
  name: string
  open(dbName: string): Promise<Disk>
  /** The same database seen by a new connection (a page reload); memory returns the same object. */
  reopen(disk: Disk): Promise<Disk>
  /** Whether a commit that fails half-way leaves nothing applied (see the lead's note for MemoryDisk). */
  atomicOnBadValue: boolean
}

/** Runs the Disk contract against `backend`. */
export function runDiskContract(backend: DiskBackend): void {
  describe(`Disk contract on ${backend.name}`, () => {
    let n = 0
    const fresh = () => backend.open(`disk-contract-${backend.name}-${n++}`)

    it('puts, gets, deletes; missing keys read as undefined; stored values are copies', async () => {
      const disk = await fresh()
      const value = { a: [1, 2], bytes: new Uint8Array([1, 2, 3]) }
      await disk.commit([{ type: 'put', store: 'meta', key: 'x', value }])
      value.a.push(3)
      expect(await disk.get('meta', 'x')).toEqual({ a: [1, 2], bytes: new Uint8Array([1, 2, 3]) })
      expect(await disk.get('meta', 'missing')).toBeUndefined()
      expect(await disk.get('wal', 'x')).toBeUndefined()
      await disk.commit([{ type: 'delete', store: 'meta', key: 'x' }])
      expect(await disk.get('meta', 'x')).toBeUndefined()
      await disk.commit([])
    })

    it('orders ranges numbers first, then strings; bounds are inclusive; limit caps the result', async () => {
      const disk = await fresh()
      const keys = ['b', 10, 'a', 2, 'ab', -1]
      await disk.commit(
        keys.map((key) => ({ type: 'put' as const, store: 'sst' as const, key, value: String(key) })),
      )
      expect((await disk.getRange('sst')).map((e) => e.key)).toEqual([-1, 2, 10, 'a', 'ab', 'b'])
      expect((await disk.getRange('sst', { lower: 2, upper: 'a' })).map((e) => e.key)).toEqual([2, 10, 'a'])
      expect((await disk.getRange('sst', { lower: 'a' })).map((e) => e.value)).toEqual(['a', 'ab', 'b'])
      expect((await disk.getRange('sst', { upper: 2, limit: 1 })).map((e) => e.key)).toEqual([-1])
      expect(await disk.getRange('sst', { lower: 'b', upper: 'a' })).toEqual([])
    })

    it('commits ops over several stores atomically; deleteRange removes [lower, upper] inclusive', async () => {
      const disk = await fresh()
      await disk.commit([
        ...[1, 2, 3, 4, 5].map((key) => ({ type: 'put' as const, store: 'wal' as const, key, value: key })),
        { type: 'put', store: 'manifest', key: 'current', value: { v: 1 } },
      ])
      await disk.commit([
        { type: 'deleteRange', store: 'wal', lower: 2, upper: 4 },
        { type: 'put', store: 'manifest', key: 'current', value: { v: 2 } },
      ])
      expect((await disk.getRange('wal')).map((e) => e.key)).toEqual([1, 5])
      expect(await disk.get('manifest', 'current')).toEqual({ v: 2 })
    })

    it.skipIf(!backend.atomicOnBadValue)(
      'a commit that fails on a bad value applies none of its ops',
      async () => {
        const disk = await fresh()
        const bad = { fn: () => 1 }
        let code = 'resolved'
        try {
          await disk.commit([
            { type: 'put', store: 'meta', key: 'first', value: 1 },
            { type: 'put', store: 'meta', key: 'bad', value: bad },
          ])
        } catch (e) {
          code = isDbError(e) ? e.code : 'uncoded'
        }
        expect(code).toBe('BAD_INPUT')
        expect(await disk.get('meta', 'first')).toBeUndefined()
      },
    )

    it('keeps committed data across a reopen, and destroy() deletes everything', async () => {
      const disk = await fresh()
      await disk.commit([{ type: 'put', store: 'hints', key: 'h', value: 'kept' }])
      disk.close()
      const again = await backend.reopen(disk)
      expect(await again.get('hints', 'h')).toBe('kept')
      await again.destroy()
      const after = await backend.reopen(again)
      expect(await after.get('hints', 'h')).toBeUndefined()
    })
  })
}
