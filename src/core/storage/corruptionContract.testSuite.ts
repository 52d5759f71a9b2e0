/**
 * Corruption cases of the StorageEngine contract, run against every Disk backend: a block or WAL
 * record rewritten on disk (a value turned into a number, a missing column, a wrong checksum) is
 * STORAGE_CORRUPT and never served; a torn WAL tail is dropped; legacy records without a checksum
 * are still read.
 */
import { describe, expect, it } from 'vitest'
import type { Disk } from '../disk/disk'
import { isDbError } from '../errors'
import type { KeyedRecord } from './engine'
import { createLsmEngine } from './lsmEngine'
import type { LsmOptions } from './lsmOptions'

const put = (key: string, value: string): KeyedRecord => ({
  key,
  record: { value, tombstone: false, meta: { ts: 1, node: 'node_0' }, writtenAtMs: 1000 },
})

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'resolved'
  } catch (e) {
    return isDbError(e) ? e.code : `uncoded: ${String(e)}`
  }
}

type Rewrite = (v: Record<string, unknown>) => Record<string, unknown>

/** Runs the corruption cases against disks made by `makeDisk` (each call = a fresh database). */
export function runCorruptionContract(backend: string, makeDisk: (name: string) => Promise<Disk>): void {
  describe(`StorageEngine corruption contract on ${backend}`, () => {
    let dbCount = 0
    const options: LsmOptions = {
      memtableBytesMax: 64 * 1024,
      tombstoneGraceMs: 1000,
      valueBytesMax: 4096,
      blockCacheBytesMax: 256 * 1024,
      nowMs: () => 5000,
      blockBytesMax: 1024,
    }
    const keys = Array.from({ length: 60 }, (_, i) => `k${String(i).padStart(3, '0')}`)

    /** A database with one flushed table of several blocks (and nothing in the WAL). */
    async function flushedDisk(): Promise<Disk> {
      const disk = await makeDisk(`corrupt-${backend}-${dbCount++}`)
      const engine = createLsmEngine(disk, options)
      await engine.open()
      await engine.write(keys.map((k) => put(k, `value of ${k}`)))
      await engine.flush()
      await engine.close()
      return disk
    }

    async function rewriteFirstBlock(disk: Disk, rewrite: Rewrite): Promise<void> {
      const [first] = (await disk.getRange('sst')).filter((e) => typeof e.key === 'number')
      const value = rewrite({ ...(first.value as Record<string, unknown>) })
      await disk.commit([{ type: 'put', store: 'sst', key: first.key, value }])
    }

    it.each<[string, Rewrite]>([
      ['a value rewritten to a number', (b) => ({ ...b, values: [42, ...(b.values as unknown[]).slice(1)] })],
      ['a missing values column', ({ values: _, ...b }) => b],
      ['a wrong checksum', (b) => ({ ...b, crc: ((b.crc as number) ^ 1) | 0 })],
      ['a missing checksum in a checksummed table', ({ crc: _, ...b }) => b],
    ])('a block with %s is STORAGE_CORRUPT, quarantined and never served', async (_name, rewrite) => {
      const disk = await flushedDisk()
      await rewriteFirstBlock(disk, rewrite)
      const engine = createLsmEngine(disk, options)
      const reported: unknown[] = []
      engine.setCorruptionHook((c) => reported.push(c))
      await engine.open()
      expect(await codeOf(engine.get(keys[0]))).toBe('STORAGE_CORRUPT')
      expect(reported).toHaveLength(1)
      // Quarantined: later reads and scans skip it, the engine reports it, and 42 is never served.
      expect(await engine.get(keys[0])).toBeUndefined()
      const scanned = await engine.scan()
      expect(scanned.length).toBeGreaterThan(0)
      expect(scanned.every((r) => typeof r.record.value === 'string')).toBe(true)
      expect(scanned.some((r) => r.key === keys[0])).toBe(false)
      expect(await engine.get(keys[keys.length - 1])).toMatchObject({
        value: `value of ${keys[keys.length - 1]}`,
      })
      const ins = engine.inspect().corruption
      expect(ins.blocksFound).toBe(1)
      expect(ins.quarantined[0]).toMatchObject({ firstKey: keys[0], blockNo: 0 })
      // Compaction streams past the quarantined block instead of failing.
      await engine.compact()
      expect((await engine.scan()).length).toBe(scanned.length)
    })

    it('a scan reports a corrupt block and skips it (no throw), so an owner can still index', async () => {
      const disk = await flushedDisk()
      await rewriteFirstBlock(disk, (b) => ({ ...b, values: [42, ...(b.values as unknown[]).slice(1)] }))
      const engine = createLsmEngine(disk, options)
      const reported: unknown[] = []
      engine.setCorruptionHook((c) => reported.push(c))
      await engine.open()
      const rows = await engine.scan()
      expect(reported).toHaveLength(1)
      expect(rows.every((r) => typeof r.record.value === 'string')).toBe(true)
    })

    it('a legacy block without a checksum (table written before checksums) is still read', async () => {
      const disk = await flushedDisk()
      await rewriteFirstBlock(disk, ({ crc: _, ...b }) => b)
      const metas = (await disk.getRange('sst')).filter((e) => typeof e.key === 'string')
      const { checksums: _, ...legacy } = metas[0].value as Record<string, unknown>
      await disk.commit([{ type: 'put', store: 'sst', key: metas[0].key, value: legacy }])
      const engine = createLsmEngine(disk, options)
      await engine.open()
      expect(await engine.get(keys[0])).toMatchObject({ value: `value of ${keys[0]}` })
    })

    async function walDisk(groups: number): Promise<Disk> {
      const disk = await makeDisk(`corrupt-wal-${backend}-${dbCount++}`)
      const engine = createLsmEngine(disk, options)
      await engine.open()
      for (let g = 0; g < groups; g++) await engine.write([put(`w${g}`, `v${g}`)])
      await engine.close()
      return disk
    }

    async function rewriteWal(disk: Disk, index: number, rewrite: Rewrite): Promise<void> {
      const rec = (await disk.getRange('wal'))[index]
      const value = rewrite({ ...(rec.value as Record<string, unknown>) })
      await disk.commit([{ type: 'put', store: 'wal', key: rec.key, value }])
    }

    it.each<[string, Rewrite]>([
      ['a value rewritten to a number', (r) => ({ ...r, values: [42] })],
      ['a missing keys column', ({ keys: _, ...r }) => r],
      ['a record that is a string', () => 'garbage' as unknown as Record<string, unknown>],
    ])('a WAL record in the middle with %s fails the open STORAGE_CORRUPT', async (_name, rewrite) => {
      const disk = await walDisk(3)
      await rewriteWal(disk, 1, rewrite)
      const engine = createLsmEngine(disk, options)
      const err = await engine.open().then(
        () => null,
        (e: unknown) => e,
      )
      expect(isDbError(err) && err.code).toBe('STORAGE_CORRUPT')
      expect((err as Error).message).toMatch(/WAL record/)
    })

    it('a corrupt last WAL record is a torn tail: dropped, the rest replayed', async () => {
      const disk = await walDisk(3)
      await rewriteWal(disk, 2, (r) => ({ ...r, values: [42] }))
      const engine = createLsmEngine(disk, options)
      const { replayed } = await engine.open()
      expect(replayed.map((r) => r.key)).toEqual(['w0', 'w1'])
      expect(await engine.get('w2')).toBeUndefined()
      expect(engine.inspect().corruption.walTailDropped).toBe(1)
      expect(await disk.getRange('wal')).toHaveLength(2)
    })

    it.each<[string, (disk: Disk) => Promise<void>]>([
      [
        'a manifest whose levels hold a string',
        async (disk) => {
          const m = (await disk.get('manifest', 'current')) as Record<string, unknown>
          await disk.commit([
            { type: 'put', store: 'manifest', key: 'current', value: { ...m, levels: [['x']] } },
          ])
        },
      ],
      [
        'a live table meta without its Bloom filter',
        async (disk) => {
          const [meta] = (await disk.getRange('sst')).filter((e) => typeof e.key === 'string')
          const { bloom: _, ...rest } = meta.value as Record<string, unknown>
          await disk.commit([{ type: 'put', store: 'sst', key: meta.key, value: rest }])
        },
      ],
    ])('%s fails the open STORAGE_CORRUPT', async (_name, damage) => {
      const disk = await flushedDisk()
      await damage(disk)
      expect(await codeOf(createLsmEngine(disk, options).open())).toBe('STORAGE_CORRUPT')
    })

    it('a legacy WAL record without a checksum is replayed', async () => {
      const disk = await walDisk(2)
      await rewriteWal(disk, 0, ({ crc: _, ...r }) => r)
      const engine = createLsmEngine(disk, options)
      const { replayed } = await engine.open()
      expect(replayed.map((r) => r.key)).toEqual(['w0', 'w1'])
    })
  })
}
