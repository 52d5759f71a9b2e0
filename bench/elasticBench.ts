/**
 * Elasticity in the simulator: addNode on a 5-node cluster (N = 3) holding KEYS keys (default 100k).
 * Prints, per partition strategy, the keys the new node received ÷ its ideal share N/(n+1) (target
 * ≤ 1.2), how long the move took (real and virtual time, no rate limit), and the client reads and
 * writes issued while it ran with how many failed. Run: npm run bench:elastic (KEYS=20000 for a quick run).
 */
import { createSimCluster } from '../src/cluster/createCluster'
import type { ClusterOptions } from '../src/cluster/types'

const KEYS = Number(process.env.KEYS ?? 100_000)
const N = 3

async function run(label: string, opts: Partial<ClusterOptions>): Promise<string> {
  const c = await createSimCluster(
    {
      numNodes: 5,
      replicationFactor: N,
      seed: 5,
      antiEntropyIntervalMs: 0,
      memtableBytesMax: 4 << 20,
      ...opts,
    },
    { traceMessages: false },
  )
  const load = 512
  for (let i = 0; i < KEYS; i += load) {
    await Promise.all(
      Array.from({ length: Math.min(load, KEYS - i) }, (_, j) =>
        c.put((i + j) % 5, `key-${i + j}`, `v${i + j}`, { level: 'ONE' }),
      ),
    )
  }
  await c.settle()
  // Clients keep reading and writing through the move (one op every 2 virtual ms).
  let ops = 0
  let errors = 0
  let moving = true
  const tick = (): void => {
    if (!moving) return
    const k = `key-${(ops * 7919) % KEYS}`
    const p = ops % 2 === 0 ? c.get(ops % 5, k) : c.put(ops % 5, k, `during-${ops}`)
    ops++
    p.catch(() => errors++)
    c.sim.schedule(2, tick)
  }
  c.sim.schedule(0, tick)
  const t0 = performance.now()
  const v0 = c.sim.nowMs
  // The page-style loop: virtual time advances in steps while the move and the clients run.
  c.autoDrive = false
  let id: string | null = null
  const adding = c.addNode().then((x) => {
    id = x
  })
  while (id === null) await c.runFor(50)
  await adding
  moving = false
  c.autoDrive = true
  const realMs = performance.now() - t0
  const virtualMs = c.sim.nowMs - v0
  await c.settle()
  let received = 0
  let start: string | undefined
  for (;;) {
    const page = await c.scan(id as string, { start, limit: 1000 })
    received += page.rows.length
    if (!page.next) break
    start = page.next
  }
  const ideal = (KEYS * N) / 6
  await c.shutdown()
  return `| ${label} | ${KEYS.toLocaleString('en-US')} | ${received.toLocaleString('en-US')} | ${(received / ideal).toFixed(2)} | ${(realMs / 1000).toFixed(1)} s real, ${(virtualMs / 1000).toFixed(1)} s virtual | ${ops} ops, ${errors} errors |`
}

console.log(
  '| strategy | keys | keys moved to the new node | ÷ ideal N/(n+1) (target ≤ 1.2) | move time | client ops during the move |',
)
console.log('|---|---:|---:|---:|---|---|')
console.log(await run('hash, 128 partitions', { partitionStrategy: 'hash', numPartitions: 128 }))
console.log(await run('ring, 16 random vnodes per node', { partitionStrategy: 'ring' }))
