/**
 * The StorageEngine contract: one suite, run against every Disk backend (MemoryDisk in
 * lsmEngine.test.ts, IdbDisk in src/hosts/idbDisk.test.ts).
 */
import { describe, expect, it } from 'vitest'
import type { Disk } from '../disk/disk'
import { isDbError } from '../errors'
import { DiskProbe } from './diskProbe'
import type { KeyedRecord, StoredRecord } from './engine'
import { createLsmEngine, type LsmEngine } from './lsmEngine'
import type { LsmOptions } from './lsmOptions'

const put = (key: string, value: unknown, writtenAtMs = 1000): KeyedRecord => ({
  key,
  record: { value, tombstone: false, meta: { v: 1 }, writtenAtMs },
})
const del = (key: string, writtenAtMs = 1000): KeyedRecord => ({
  key,
  record: { value: null, tombstone: true, meta: null, writtenAtMs },
})

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'resolved'
  } catch (e) {
    return isDbError(e) ? e.code : `uncoded: ${String(e)}`
  }
}

/** Runs the engine contract against disks made by `makeDisk` (each call = a fresh database). */
export function runStorageEngineContract(backend: string, makeDisk: (name: string) => Promise<Disk>): void {
  describe(`StorageEngine contract on ${backend}`, () => {
    let clock = 10_000
    let dbCount = 0
    const baseOptions: LsmOptions = {
      memtableBytesMax: 64 * 1024,
      tombstoneGraceMs: 1000,
      valueBytesMax: 4096,
      blockCacheBytesMax: 256 * 1024,
      nowMs: () => clock,
      blockBytesMax: 1024,
      tableBytesTarget: 8 * 1024,
      l0TablesMax: 3,
      levelBytesBase: 16 * 1024,
    }
    async function fresh(
      options: Partial<LsmOptions> = {},
    ): Promise<{ probe: DiskProbe; engine: LsmEngine }> {
      const probe = new DiskProbe(await makeDisk(`contract-${backend}-${dbCount++}`))
      const engine = createLsmEngine(probe, { ...baseOptions, ...options })
      await engine.open()
      return { probe, engine }
    }
    async function reopen(probe: DiskProbe, options: Partial<LsmOptions> = {}) {
      const engine = createLsmEngine(new DiskProbe(probe.inner), { ...baseOptions, ...options })
      const { replayed } = await engine.open()
      return { engine, replayed }
    }

    it('puts, overwrites, deletes and reads back, tombstones included', async () => {
      const { engine } = await fresh()
      await engine.write([put('a', 1), put('b', { x: [1, 2] })])
      await engine.write([put('a', 2), del('b')])
      expect((await engine.get('a'))?.value).toBe(2)
      expect(await engine.get('b')).toMatchObject({ tombstone: true, value: null })
      expect(await engine.get('zz')).toBeUndefined()
    })

    it('scan honours start, end, limit and includeTombstones; newest version wins across memtable and tables', async () => {
      const { engine } = await fresh()
      await engine.write(['a', 'b', 'c', 'd', 'e'].map((k) => put(k, `${k}1`)))
      await engine.flush()
      await engine.write([put('b', 'b2'), del('c')])
      const keys = (rs: KeyedRecord[]) => rs.map((r) => `${r.key}=${String(r.record.value)}`)
      expect(keys(await engine.scan())).toEqual(['a=a1', 'b=b2', 'd=d1', 'e=e1'])
      expect(keys(await engine.scan({ start: 'b', end: 'e' }))).toEqual(['b=b2', 'd=d1'])
      expect(keys(await engine.scan({ start: 'b', limit: 2, includeTombstones: true }))).toEqual([
        'b=b2',
        'c=null',
      ])
      expect(await engine.scan({ limit: 0 })).toEqual([])
    })

    it('survives close and reopen: flushed data from tables, the rest replayed from the WAL in log order', async () => {
      const { probe, engine } = await fresh()
      await engine.write([put('k1', 'flushed')])
      await engine.flush()
      await engine.write([put('k2', 'logged'), put('k1', 'newer')])
      await engine.write([del('k3')])
      await engine.close()
      const { engine: again, replayed } = await reopen(probe)
      expect(replayed.map((r) => r.key)).toEqual(['k2', 'k1', 'k3'])
      expect((await again.get('k1'))?.value).toBe('newer')
      expect((await again.get('k2'))?.value).toBe('logged')
      expect((await again.get('k3'))?.tombstone).toBe(true)
    })

    it('group commit: writes issued in the same tick share one Disk commit and all resolve', async () => {
      const { probe, engine } = await fresh()
      const before = probe.commits.length
      await Promise.all(Array.from({ length: 50 }, (_, i) => engine.write([put(`g${i}`, i)])))
      expect(probe.commits.length - before).toBe(1)
      expect(probe.commits.at(-1)!.filter((op) => op.store === 'wal')).toHaveLength(1)
      expect((await engine.scan()).length).toBe(50)
    })

    it('extra ops ride in the write commit; flush-hook ops and WAL truncation ride in the flush commit', async () => {
      const { probe, engine } = await fresh()
      engine.setFlushHook(() => [{ type: 'put', store: 'meta', key: 'snapshot', value: 'at-flush' }])
      await engine.write([put('a', 1)], [{ type: 'put', store: 'replog', key: 1, value: 'op1' }])
      expect(
        probe.commits
          .at(-1)!
          .map((op) => op.store)
          .sort(),
      ).toEqual(['replog', 'wal'])
      await engine.flush()
      const flushOps = probe.commits.at(-1)!
      expect(flushOps.some((op) => op.store === 'manifest')).toBe(true)
      expect(flushOps.some((op) => op.store === 'meta' && op.type === 'put' && op.value === 'at-flush')).toBe(
        true,
      )
      expect(flushOps.some((op) => op.store === 'wal' && op.type === 'deleteRange')).toBe(true)
      expect(await probe.inner.getRange('wal')).toEqual([])
      expect(await probe.inner.get('replog', 1)).toBe('op1')
    })

    it('an attachment rides inside the WAL record (no put of its own), comes back from open, and reaches the flush hook when the flush drops its record', async () => {
      const { probe, engine } = await fresh()
      let dropped: unknown = 'not called'
      engine.setFlushHook((d) => {
        dropped = d
        return []
      })
      await engine.write([put('a', 1)], [], { snap: 1 })
      expect(probe.commits.at(-1)!.map((op) => op.store)).toEqual(['wal'])
      await engine.write([put('b', 2)], [], { snap: 2 })
      await engine.write([put('c', 3)])
      expect(await codeOf(engine.write([], [], { snap: 3 }))).toBe('BAD_INPUT')
      await engine.close()
      const again = createLsmEngine(new DiskProbe(probe.inner), baseOptions)
      let droppedAgain: unknown = 'not called'
      again.setFlushHook((d) => {
        droppedAgain = d
        return []
      })
      const { attachments } = await again.open()
      expect(attachments).toEqual([{ snap: 1 }, { snap: 2 }])
      // The replayed records are flushed: the hook gets the newest attachment among them.
      await again.flush()
      expect(droppedAgain).toEqual({ snap: 2 })
      expect(dropped).toBe('not called')
      await again.write([put('d', 4)], [], { snap: 4 })
      await again.flush()
      expect(droppedAgain).toEqual({ snap: 4 })
      await again.close()
      const third = createLsmEngine(new DiskProbe(probe.inner), baseOptions)
      expect((await third.open()).attachments).toEqual([])
    })

    it('a WAL record whose attachment fails its checksum is a torn tail when last, STORAGE_CORRUPT before that', async () => {
      const { probe, engine } = await fresh()
      await engine.write([put('a', 1)], [], { snap: 1 })
      await engine.write([put('b', 2)], [], { snap: 2 })
      await engine.close()
      const wal = await probe.inner.getRange('wal')
      const bent = (v: unknown) => ({ ...(v as object), attach: { snap: 99 } })
      await probe.inner.commit([{ type: 'put', store: 'wal', key: wal[1].key, value: bent(wal[1].value) }])
      const torn = createLsmEngine(new DiskProbe(probe.inner), baseOptions)
      const { attachments } = await torn.open()
      expect(attachments).toEqual([{ snap: 1 }])
      expect(await torn.get('b')).toBeUndefined()
      await torn.close()
      await probe.inner.commit([{ type: 'put', store: 'wal', key: wal[0].key, value: bent(wal[0].value) }])
      await probe.inner.commit([{ type: 'put', store: 'wal', key: wal[1].key, value: wal[1].value }])
      expect(await codeOf(createLsmEngine(new DiskProbe(probe.inner), baseOptions).open())).toBe(
        'STORAGE_CORRUPT',
      )
    })

    it('rejects bad keys with BAD_INPUT and oversized values with VALUE_TOO_LARGE, applying nothing', async () => {
      const { engine } = await fresh()
      expect(await codeOf(engine.write([{ key: '', record: put('x', 1).record }]))).toBe('BAD_INPUT')
      expect(await codeOf(engine.write([{ key: 7 as unknown as string, record: put('x', 1).record }]))).toBe(
        'BAD_INPUT',
      )
      expect(await codeOf(engine.get(undefined as unknown as string))).toBe('BAD_INPUT')
      expect(await codeOf(engine.write([put('ok', 1), put('big', 'x'.repeat(5000))]))).toBe('VALUE_TOO_LARGE')
      expect(await engine.get('ok')).toBeUndefined()
      expect(engine.inspect().memtable.entries).toBe(0)
    })

    it('a failed commit rejects the write, leaves the memtable untouched and the engine usable', async () => {
      const { probe, engine } = await fresh()
      await engine.write([put('a', 'old')])
      probe.failNextCommit = Object.assign(new Error('disk full'), { name: 'QuotaExceededError' })
      expect(await codeOf(engine.write([put('a', 'new'), put('b', 1)]))).toBe('QUOTA_EXCEEDED')
      expect((await engine.get('a'))?.value).toBe('old')
      expect(await engine.get('b')).toBeUndefined()
      probe.failNextCommit = new Error('io error')
      expect(await codeOf(engine.write([put('c', 1)]))).toBe('STORAGE_UNAVAILABLE')
      await engine.write([put('a', 'newer')])
      expect((await engine.get('a'))?.value).toBe('newer')
    })

    it('flushes in the background when the memtable passes its budget, while writes continue', async () => {
      const { engine } = await fresh({ memtableBytesMax: 2048, l0TablesMax: 100 })
      for (let round = 0; round < 20; round++) {
        const writes: Promise<void>[] = []
        for (let i = round * 10; i < round * 10 + 10; i++)
          writes.push(engine.write([put(`k${String(i).padStart(4, '0')}`, 'v'.repeat(40))]))
        await Promise.all(writes)
      }
      await engine.whenIdle()
      const info = engine.inspect()
      expect(info.levels[0].tables.length).toBeGreaterThan(2)
      expect(info.memtable.bytes).toBeLessThan(2048)
      expect((await engine.scan()).length).toBe(200)
      expect(engine.backgroundError).toBeUndefined()
    })

    it('compacts level 0 into deeper levels in the background, keeping the newest version of every key', async () => {
      const { probe, engine } = await fresh({ memtableBytesMax: 1024 })
      const model = new Map<string, number>()
      for (let round = 0; round < 30; round++) {
        const batch: KeyedRecord[] = []
        for (let i = 0; i < 20; i++) {
          const key = `key${String((round * 7 + i * 13) % 150).padStart(3, '0')}`
          batch.push(put(key, round))
          model.set(key, round)
        }
        await engine.write(batch)
      }
      await engine.whenIdle()
      const info = engine.inspect()
      expect(info.compactions.length).toBeGreaterThan(0)
      expect(info.levels.length).toBeGreaterThan(1)
      expect(info.writeAmplification).toBeGreaterThan(1)
      for (const level of info.levels.slice(1)) {
        for (let i = 1; i < level.tables.length; i++)
          expect(level.tables[i - 1].maxKey < level.tables[i].minKey).toBe(true)
      }
      const scanned = await engine.scan()
      expect(new Map(scanned.map((r) => [r.key, r.record.value]))).toEqual(model)
      for (const [k, v] of model) expect((await engine.get(k))?.value).toBe(v)
      await engine.close()
      const { engine: again } = await reopen(probe)
      expect((await again.scan()).length).toBe(model.size)
    })

    it('compact() drops tombstones past the grace period only, and they stay gone after reopen', async () => {
      const { probe, engine } = await fresh()
      await engine.write([put('a', 1), put('b', 1), put('c', 1)])
      await engine.flush()
      clock = 50_000
      await engine.write([del('a', 10_000), del('b', clock)])
      await engine.flush()
      await engine.compact()
      const all = await engine.scan({ includeTombstones: true })
      expect(all.map((r) => r.key)).toEqual(['b', 'c'])
      expect(engine.inspect().levels.flat().length).toBeGreaterThan(0)
      await engine.close()
      const { engine: again } = await reopen(probe)
      expect(await again.get('a')).toBeUndefined()
      expect((await again.get('b'))?.tombstone).toBe(true)
    })

    it('serves warm reads from a bounded LRU block cache', async () => {
      const { engine } = await fresh({ blockCacheBytesMax: 4096 })
      await engine.write(
        Array.from({ length: 300 }, (_, i) => put(`c${String(i).padStart(3, '0')}`, 'x'.repeat(30))),
      )
      await engine.flush()
      await engine.get('c010')
      const misses = engine.inspect().blockCache.misses
      await engine.get('c011')
      const info = engine.inspect()
      expect(info.blockCache.misses).toBe(misses)
      expect(info.blockCache.hits).toBeGreaterThan(0)
      for (let i = 0; i < 300; i += 7) await engine.get(`c${String(i).padStart(3, '0')}`)
      expect(engine.inspect().blockCache.bytes).toBeLessThanOrEqual(4096)
    })

    it('peek answers from memory without reading the disk, and null only when a block must be read', async () => {
      const { probe, engine } = await fresh({ blockCacheBytesMax: 2048 })
      const key = (i: number) => `p${String(i).padStart(3, '0')}`
      await engine.write(Array.from({ length: 200 }, (_, i) => put(key(i), `v${i}`)))
      expect(engine.peek(key(5))?.record?.value).toBe('v5') // memtable
      expect(engine.peek('nope')).toEqual({ record: undefined })
      await engine.flush()
      await engine.write([put(key(7), 'newer'), del(key(8))])
      const reads = probe.reads
      const answers = Array.from({ length: 200 }, (_, i) => engine.peek(key(i)))
      expect(probe.reads).toBe(reads) // peek never touches the disk
      expect(answers[7]?.record?.value).toBe('newer')
      expect(answers[8]?.record?.tombstone).toBe(true)
      expect(answers.some((a) => a === null)).toBe(true) // uncached blocks: the caller must get()
      for (let i = 0; i < 200; i++) {
        const got = await engine.get(key(i))
        const a = answers[i]
        if (a !== null) expect(a.record).toEqual(got)
      }
      await engine.get(key(100))
      expect(engine.peek(key(100))?.record?.value).toBe('v100') // its block is cached now
    })

    it('a cold scan reads table blocks ahead, in far fewer disk reads than blocks', async () => {
      const { probe, engine } = await fresh()
      await engine.write(
        Array.from({ length: 400 }, (_, i) => put(`s${String(i).padStart(3, '0')}`, 'y'.repeat(40))),
      )
      await engine.flush()
      await engine.close()
      const cold = new DiskProbe(probe.inner)
      const again = createLsmEngine(cold, { ...baseOptions, blockCacheBytesMax: 0 })
      await again.open()
      const blocks = engine.inspect().levels[0].tables[0].bytes / 1024
      const readsBefore = cold.reads
      expect((await again.scan()).length).toBe(400)
      expect(blocks).toBeGreaterThan(20)
      expect(cold.reads - readsBefore).toBeLessThan(blocks / 2)
    })

    it('reads stay correct while compaction replaces tables under them', async () => {
      const { engine } = await fresh({ memtableBytesMax: 1024, blockCacheBytesMax: 0 })
      const expected = new Map<string, StoredRecord['value']>()
      const reads: Promise<void>[] = []
      for (let round = 0; round < 20; round++) {
        const batch = Array.from({ length: 15 }, (_, i) =>
          put(`r${String((round * 5 + i) % 60).padStart(2, '0')}`, round),
        )
        for (const r of batch) expected.set(r.key, r.record.value)
        await engine.write(batch)
        const snapshot = new Map(expected)
        reads.push(
          engine.scan().then((rs) => {
            for (const r of rs)
              expect(r.record.value).toBeGreaterThanOrEqual((snapshot.get(r.key) as number | undefined) ?? 0)
            expect(rs.length).toBeGreaterThanOrEqual(snapshot.size)
          }),
        )
      }
      await Promise.all(reads)
      await engine.whenIdle()
      expect(engine.inspect().compactions.length).toBeGreaterThan(0)
    })

    it('rejects use after close with STORAGE_UNAVAILABLE', async () => {
      const { engine } = await fresh()
      await engine.close()
      expect(await codeOf(engine.write([put('a', 1)]))).toBe('STORAGE_UNAVAILABLE')
      expect(await codeOf(engine.get('a'))).toBe('STORAGE_UNAVAILABLE')
    })
  })
}
