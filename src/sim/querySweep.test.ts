/**
 * Secondary indexes and the read cache under random faults: writes, updates and deletes of JSON rows
 * while nodes are killed, restarted and partitioned; then heal, settle and one anti-entropy round per
 * node. Every node's index must then equal the index of the rows it stores, and a read at ONE through
 * every replica (served by its cache where it has one) must equal what its storage holds.
 * Default 60 seeds; more: QUERY_SEEDS=1000. Replay one: SEED=12 npx vitest run src/sim/querySweep.test.ts
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { seededRandom } from '../core/random'
import { faultStep } from './sweep/faultStep'

const single = process.env.SEED ? [Number(process.env.SEED)] : null
const count = Number(process.env.QUERY_SEEDS ?? 60)
const seeds = single ?? Array.from({ length: count }, (_, i) => i + 1)
const COLORS = ['red', 'green', 'blue']

async function run(seed: number): Promise<string[]> {
  const rnd = seededRandom(seed)
  const c = await createSimCluster({
    numNodes: 4,
    replicationFactor: 3,
    indexFields: ['color'],
    cacheSize: 16,
    memtableBytesMax: 2048,
    seed,
  })
  const faults: string[] = []
  try {
    for (let step = 0; step < 120; step++) {
      const n = rnd.int(4)
      const r = rnd.next()
      if (!(await faultStep(c, n, r, { kill: 0.04, restart: 0.1, partition: 0.13, heal: 0.16 }, faults))) {
        const key = `k${rnd.int(12)}`
        const level = rnd.next() < 0.5 ? 'ONE' : 'QUORUM'
        const op =
          rnd.next() < 0.2
            ? c.delete(n, key, { level })
            : rnd.next() < 0.7
              ? c.put(n, key, JSON.stringify({ color: COLORS[rnd.int(3)], step }), { level })
              : c.get(n, key, { level: 'ONE' })
        await op.catch(() => {})
      }
    }
    c.heal()
    for (const node of c.nodes) if (node.status !== 'up') await c.restart(node.id)
    await c.settle()
    for (const node of c.nodes) await c.antiEntropy(node.id)
    await c.settle()
    const problems: string[] = []
    for (const node of c.nodes) {
      const stored = (await c.scan(node.id, { limit: 1000 })).rows
      for (const color of COLORS) {
        const want = stored
          .filter((row) => row.value !== null && JSON.parse(row.value).color === color)
          .map((row) => row.key)
          .sort()
        const got = await c.queryIndex(node.id, 'color', color)
        if (JSON.stringify(got) !== JSON.stringify(want))
          problems.push(`${node.id} index ${color}: ${JSON.stringify(got)} != stored ${JSON.stringify(want)}`)
      }
      for (const row of stored) {
        const read = await c.read(node.id, row.key, { level: 'ONE' })
        const replicaAnswer = read.replies.find((x) => x.node === node.id)
        if (replicaAnswer && read.value !== row.value)
          problems.push(`${node.id} ${row.key}: read ${read.value} but stores ${row.value}`)
      }
    }
    return problems.length ? [...problems.slice(0, 3), `faults: ${faults.join(', ')}`] : []
  } finally {
    await c.shutdown()
  }
}

describe('secondary indexes and the read cache under faults', () => {
  it(`every node's index matches its stored rows and no cached read is stale (${seeds.length} seeds)`, async () => {
    const failures: string[] = []
    for (const seed of seeds) {
      const p = await run(seed)
      if (p.length)
        failures.push(
          `seed ${seed}: ${p.join('; ')}\n  replay: SEED=${seed} npx vitest run src/sim/querySweep.test.ts`,
        )
      if (failures.length >= 3) break
    }
    expect(failures, failures.join('\n')).toEqual([])
  }, 300_000)
})
