/**
 * The first load's gentle workload on the page's default cluster (5 nodes, N = 3, 8 KiB memtables),
 * run on the simulator: within 30 s every node has flushed a memtable to an SSTable and compactions
 * have run, so a visitor sees the storage engine move. (The former 100 keys of 32 B fit the memtable:
 * no flush, ever.) The elasticity tour's move time with a minute of it loaded is measured too.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../../cluster/createCluster'
import type { StorageInspection } from '../../core/storage/engine'
import { clusterOptionsOf } from '../../scenario/codec'
import { defaultClusterOptions } from '../playground'
import { GENTLE_SPEC } from './gentle'
import { TOUR_DOCS } from './tours'

const SEED = Number(process.env.SEED ?? 5)

describe(`the gentle workload (SEED=${SEED})`, () => {
  it('flushes on every node within 10 s and compacts within 20 s at 20 ops/s', async () => {
    const { runtime: _, ...opts } = defaultClusterOptions('sim', 5)
    const c = await createSimCluster({ ...opts, seed: SEED })
    await c.startWorkload(GENTLE_SPEC)
    const firstFlushS: Record<string, number> = {}
    let firstCompactionS = Number.POSITIVE_INFINITY
    for (let s = 1; s <= 30; s++) {
      await c.runFor(1000)
      for (const n of c.nodes) {
        const st = (await c.inspect(n.id)).storage as StorageInspection
        const tables = st.levels.reduce((k, l) => k + l.tables.length, 0)
        if (tables > 0 && firstFlushS[n.id] === undefined) firstFlushS[n.id] = s
        if (st.compactions.length > 0) firstCompactionS = Math.min(firstCompactionS, s)
      }
    }
    console.log(
      `first flush per node (s): ${JSON.stringify(firstFlushS)}; first compaction: ${firstCompactionS} s`,
    )
    expect(Object.keys(firstFlushS).length).toBe(5)
    expect(Math.max(...Object.values(firstFlushS))).toBeLessThanOrEqual(10)
    expect(firstCompactionS).toBeLessThanOrEqual(20)
    await c.shutdown()
  }, 60_000)

  it('the elasticity tour: a node added after a minute of it moves its rows in a few seconds', async () => {
    const doc = TOUR_DOCS.find((d) => d.narration?.tour === 'elasticity')!
    const { runtime: _, ...opts } = clusterOptionsOf(doc, 'sim')
    const c = await createSimCluster({ ...opts, seed: SEED })
    await c.startWorkload(GENTLE_SPEC)
    await c.runFor(60_000)
    const added = c.addNode()
    for (let i = 0; i < 120 && (await c.inspect()).recentMoves.length === 0; i++) await c.runFor(500)
    await added
    const move = (await c.inspect()).recentMoves[0]
    const tookMs = (move.publishedAtMs ?? 0) - move.startedAtMs
    console.log(
      `elasticity move after 60 s: ${move.keysTotal} rows, ${move.bytesTotal} B, ${tookMs.toFixed(0)} ms virtual`,
    )
    expect(move.phase).toBe('done')
    expect(tookMs).toBeLessThan(10_000)
    await c.shutdown()
  }, 60_000)
})
