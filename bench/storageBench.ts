/**
 * Storage benchmark, run inside a dedicated Web Worker by bench/storage.html (driven by
 * scripts/bench-storage.mjs). Raw IndexedDB baselines and the LSM engine run in the same worker and
 * the same run, so their ratios are comparable.
 */
import { deleteDB, openDB } from 'idb'
import { type Columns, columnsChecksum } from '../src/core/storage/checksum'
import type { KeyedRecord } from '../src/core/storage/engine'
import { createLsmEngine, type LsmEngine } from '../src/core/storage/lsmEngine'
import type { LsmOptions } from '../src/core/storage/lsmOptions'
import { IdbDisk } from '../src/hosts/idbDisk'

const scope = self as unknown as {
  postMessage(m: unknown): void
  onmessage: ((e: MessageEvent) => void) | null
}
const VALUE = 'v'.repeat(100)
const KEYS_TOTAL = 100_000
const WRITERS = 64
const RAW_KEYS = 20_000
const GETS = 20_000
const SCANS = 300
const SCAN_LEN = 100

type Row = { name: string; value: number; unit: string; note?: string }
const rows: Row[] = []
const report = (name: string, value: number, unit: string, note?: string) => {
  rows.push({ name, value, unit, note })
  scope.postMessage({ type: 'progress', name, value, unit, note })
}
const key = (i: number) => `user${String(i).padStart(8, '0')}`
/** A fixed permutation so writes and reads hit keys in scattered order. */
const scattered = (i: number, n: number) => (i * 7919 + 13) % n
const record = (writtenAtMs: number): KeyedRecord['record'] => ({
  value: VALUE,
  tombstone: false,
  meta: { lamport: writtenAtMs },
  writtenAtMs,
})
const rate = (count: number, ms: number) => (count / ms) * 1000

function waitForContinue(): Promise<void> {
  return new Promise((resolve) => {
    scope.onmessage = (e) => {
      if ((e.data as { type?: string }).type === 'continue') resolve()
    }
  })
}

async function rawBaselines(): Promise<void> {
  await deleteDB('bench-raw')
  const db = await openDB('bench-raw', 1, { upgrade: (d) => void d.createObjectStore('kv') })
  let t = performance.now()
  for (let i = 0; i < 600; i++) await db.put('kv', VALUE, key(i))
  report('raw idb: one transaction per put', rate(600, performance.now() - t), 'puts/s')
  t = performance.now()
  const tx = db.transaction('kv', 'readwrite')
  for (let i = 0; i < RAW_KEYS; i++) void tx.store.put(VALUE, key(i))
  await tx.done
  report('raw idb: 20k puts in one transaction', rate(RAW_KEYS, performance.now() - t), 'puts/s')
  t = performance.now()
  for (let i = 0; i < 3000; i++) await db.get('kv', key(scattered(i, RAW_KEYS)))
  report('raw idb: get (one per transaction)', rate(3000, performance.now() - t), 'gets/s')
  t = performance.now()
  let entries = 0
  for (let i = 0; i < SCANS; i++) {
    const start = scattered(i, RAW_KEYS - SCAN_LEN)
    entries += (await db.getAll('kv', IDBKeyRange.bound(key(start), key(start + SCAN_LEN)), SCAN_LEN)).length
  }
  report('raw idb: getAll over 100-key ranges', rate(entries, performance.now() - t), 'entries/s')
  db.close()
  await deleteDB('bench-raw')
}

const lsmOptions = (extra: Partial<LsmOptions> = {}): LsmOptions => ({
  memtableBytesMax: 2 * 1024 * 1024,
  tombstoneGraceMs: 3_600_000,
  valueBytesMax: 64 * 1024,
  blockCacheBytesMax: 32 * 1024 * 1024,
  nowMs: () => Date.now(),
  ...extra,
})

async function lsmBench(): Promise<void> {
  await deleteDB('bench-lsm')
  let disk = await IdbDisk.open('bench-lsm')
  const commitCount = { n: 0, ms: 0 }
  const counting = Object.assign(Object.create(disk) as IdbDisk, {
    commit: async (ops: Parameters<IdbDisk['commit']>[0]) => {
      commitCount.n++
      const t0 = performance.now()
      await disk.commit(ops)
      commitCount.ms += performance.now() - t0
    },
  })
  let engine: LsmEngine = createLsmEngine(counting, lsmOptions())
  await engine.open()
  let next = 0
  let t = performance.now()
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < KEYS_TOTAL) {
        const i = next++
        await engine.write([{ key: key(scattered(i, KEYS_TOTAL)), record: record(i) }])
      }
    }),
  )
  report(
    'LSM: durable puts, 64 writers in flight',
    rate(KEYS_TOTAL, performance.now() - t),
    'puts/s',
    `${(KEYS_TOTAL / commitCount.n).toFixed(1)} puts per Disk commit; ${Math.round(commitCount.ms)} ms inside Disk.commit`,
  )
  t = performance.now()
  await engine.whenIdle()
  report('LSM: background flush/compaction drain after load', performance.now() - t, 'ms')
  const info = engine.inspect()
  report(
    'LSM: write amplification',
    info.writeAmplification,
    'x',
    `${info.compactions.length} compactions; tables per level ${info.levels.map((l) => l.tables.length).join('/')}`,
  )
  for (let i = 0; i < GETS; i++) await engine.get(key(scattered(i * 3, KEYS_TOTAL)))
  t = performance.now()
  for (let i = 0; i < GETS; i++) await engine.get(key(scattered(i * 3, KEYS_TOTAL)))
  report('LSM: warm point get', rate(GETS, performance.now() - t), 'gets/s')
  t = performance.now()
  let entries = 0
  for (let i = 0; i < SCANS; i++)
    entries += (await engine.scan({ start: key(scattered(i, KEYS_TOTAL - SCAN_LEN)), limit: SCAN_LEN }))
      .length
  report('LSM: scan of 100-key ranges', rate(entries, performance.now() - t), 'entries/s')
  scope.postMessage({ type: 'heap', keys: KEYS_TOTAL, cacheBytes: engine.inspect().blockCache.bytes })
  await waitForContinue()
  await engine.close()
  disk.close()
  t = performance.now()
  disk = await IdbDisk.open('bench-lsm')
  engine = createLsmEngine(disk, lsmOptions())
  const { replayed } = await engine.open()
  const reopenMs = performance.now() - t
  const probe = await engine.get(key(12345))
  report(
    'LSM: reopen with 100k keys (100 B values)',
    reopenMs,
    'ms',
    `${replayed.length} WAL entries replayed; probe get ${probe ? 'ok' : 'MISSING'}`,
  )
  await engine.close()
  disk.close()
  await deleteDB('bench-lsm')
}

/** Flush and read one 20k-entry table stored as <=48 KiB blocks vs as one record. */
async function blockSizeBench(label: string, blockBytesMax: number): Promise<void> {
  const name = `bench-blocks-${label}`
  await deleteDB(name)
  let disk = await IdbDisk.open(name)
  let engine = createLsmEngine(disk, lsmOptions({ memtableBytesMax: 64 * 1024 * 1024, blockBytesMax }))
  await engine.open()
  for (let i = 0; i < RAW_KEYS; i += 1000) {
    await engine.write(Array.from({ length: 1000 }, (_, j) => ({ key: key(i + j), record: record(i + j) })))
  }
  let t = performance.now()
  await engine.flush()
  report(`table write (${label}): flush of 20k entries`, rate(RAW_KEYS, performance.now() - t), 'entries/s')
  await engine.close()
  disk.close()
  disk = await IdbDisk.open(name)
  engine = createLsmEngine(disk, lsmOptions({ blockCacheBytesMax: 64 * 1024 * 1024, blockBytesMax }))
  await engine.open()
  t = performance.now()
  const all = await engine.scan()
  report(`table read (${label}): cold full scan`, rate(all.length, performance.now() - t), 'entries/s')
  const blocks = (await disk.getRange('sst')).filter((e) => typeof e.key === 'number').map((e) => e.value)
  t = performance.now()
  for (let round = 0; round < 10; round++) for (const b of blocks) columnsChecksum(b as Columns)
  report(
    `table read (${label}): CRC-32 of one block`,
    ((performance.now() - t) * 1000) / (10 * blocks.length),
    'µs',
    `${blocks.length} blocks`,
  )
  await engine.close()
  disk.close()
  disk = await IdbDisk.open(name)
  engine = createLsmEngine(disk, lsmOptions({ blockCacheBytesMax: 0, blockBytesMax }))
  await engine.open()
  t = performance.now()
  for (let i = 0; i < 200; i++) await engine.get(key(scattered(i, RAW_KEYS)))
  report(`table read (${label}): uncached point get`, rate(200, performance.now() - t), 'gets/s')
  await engine.close()
  disk.close()
  await deleteDB(name)
}

async function main(quick: boolean): Promise<void> {
  if (quick) {
    await lsmBench()
    scope.postMessage({ type: 'result', rows })
    return
  }
  await rawBaselines()
  await lsmBench()
  await blockSizeBench('48 KiB blocks', 48 * 1024)
  await blockSizeBench('whole table one record', Number.MAX_SAFE_INTEGER)
  scope.postMessage({ type: 'result', rows })
}

scope.onmessage = (e) => {
  const msg = e.data as { type?: string; quick?: boolean }
  if (msg.type === 'start')
    main(msg.quick === true).catch((e: unknown) =>
      scope.postMessage({
        type: 'error',
        message: e instanceof Error ? `${e.message}\n${e.stack}` : String(e),
      }),
    )
}
