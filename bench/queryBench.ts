/**
 * The `queries` section of the worker benchmark (SECTIONS=queries): getRange of RANGE_ROWS rows in one
 * partition at QUORUM against the LSM's node-local scan of the same rows in the same run, and warm
 * point reads with and without the read cache (cacheSize), level ONE through an owner.
 */
import type { ClusterOptions } from '../src/cluster/types'
import type { WorkerCluster } from '../src/runtime/workerCluster'

export interface BenchHelpers {
  makeCluster(opts: Partial<ClusterOptions>): Promise<WorkerCluster>
  report(section: string, name: string, value: number, unit: string, note?: string): void
  log(text: string): void
  num(name: string, dflt: number): number
}

const now = () => performance.now()

async function loadPartition(c: WorkerCluster, rows: number): Promise<void> {
  const value = 'v'.repeat(100)
  const window = 128
  let next = 0
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < rows) {
        const i = next++
        await c.put(0, 'bench', String(i).padStart(6, '0'), value)
      }
    }),
  )
  await c.settle({ timeoutMs: 30_000 }).catch(() => {})
}

/** getRange at QUORUM vs the node-local scan (cluster.scan on one replica), rows/s each. */
async function rangeVsScan(h: BenchHelpers): Promise<void> {
  const rows = h.num('RANGE_ROWS', 1000)
  const reps = h.num('RANGE_REPS', 30)
  const c = await h.makeCluster({ numNodes: 3, replicationFactor: 3 })
  try {
    await loadPartition(c, rows)
    const check = await c.getRange('bench', '', '~', { level: 'QUORUM', via: 0 })
    if (check.length !== rows) throw new Error(`getRange returned ${check.length} of ${rows} rows`)
    for (let round = 0; round < 2; round++) {
      let t0 = now()
      for (let i = 0; i < reps; i++) await c.getRange('bench', '', '~', { level: 'QUORUM', via: 0 })
      const rangeMs = now() - t0
      t0 = now()
      for (let i = 0; i < reps; i++) await c.scan(0, { start: 'bench|', limit: rows })
      const scanMs = now() - t0
      const rangeRate = (rows * reps * 1000) / rangeMs
      const scanRate = (rows * reps * 1000) / scanMs
      h.report(
        'queries',
        `getRange ${rows} rows QUORUM (round ${round + 1})`,
        rangeRate,
        'rows/s',
        `${(rangeMs / reps).toFixed(1)} ms per range`,
      )
      h.report(
        'queries',
        `node-local scan ${rows} rows (round ${round + 1})`,
        scanRate,
        'rows/s',
        `${(scanMs / reps).toFixed(1)} ms per scan`,
      )
      h.report('queries', `getRange / local scan (round ${round + 1})`, rangeRate / scanRate, 'ratio')
    }
  } finally {
    await c.shutdown({ deleteData: true })
  }
}

/** The same warm reads (level ONE, every node an owner) with cacheSize 0 and with a cache. */
async function cacheReads(h: BenchHelpers): Promise<void> {
  const keys = h.num('CACHE_KEYS', 2000)
  const reads = h.num('CACHE_READS', 20_000)
  const window = h.num('CACHE_WINDOW', 64)
  const rates: Record<string, number> = {}
  for (const cacheSize of [0, 2 * keys, 0, 2 * keys]) {
    const c = await h.makeCluster({ numNodes: 1, cacheSize, memtableBytesMax: 64 * 1024 })
    try {
      for (let i = 0; i < keys; i += 64)
        await Promise.all(
          Array.from({ length: Math.min(64, keys - i) }, (_, j) => c.put(0, `k${i + j}`, 'v'.repeat(100))),
        )
      for (let i = 0; i < keys; i++) await c.get(0, `k${i}`, { level: 'ONE' }) // warm
      let next = 0
      const t0 = now()
      await Promise.all(
        Array.from({ length: window }, async () => {
          while (next < reads) {
            const i = next++
            await c.get(0, `k${(i * 7919) % keys}`, { level: 'ONE' })
          }
        }),
      )
      const rate = (reads * 1000) / (now() - t0)
      const name = cacheSize ? `cacheSize ${cacheSize}` : 'no cache'
      rates[name] = Math.max(rates[name] ?? 0, rate)
      const q = (await c.inspect(0)).queries as { cache: { hits: number; misses: number } | null }
      h.report(
        'queries',
        `warm reads, ${name}`,
        rate,
        'reads/s',
        q.cache ? `hits ${q.cache.hits}, misses ${q.cache.misses}` : undefined,
      )
    } finally {
      await c.shutdown({ deleteData: true })
    }
  }
  const [off, on] = [rates['no cache'], rates[`cacheSize ${2 * keys}`]]
  h.report('queries', 'warm reads with cache / without (best of 2 each)', on / off, 'ratio')
}

export async function queriesSection(h: BenchHelpers): Promise<void> {
  await rangeVsScan(h)
  await cacheReads(h)
}
