/**
 * Token-aware driver vs a random coordinator, 16 nodes (N = 3, QUORUM), same run, same seed and the
 * same operations (50% reads over 2,000 keys, 64 in flight): work messages per op (every node-to-node
 * message but heartbeats, from the simulator's traffic counts), ops/s of the simulator (CPU cost of
 * that work in Node) and mean virtual latency. Run: npm run bench:routing
 */
import { createSimCluster } from '../src/cluster/createCluster'
import { createDriver } from '../src/cluster/driver'
import type { SimCluster } from '../src/sim/simCluster'

const NODES = 16
const KEYS = 2000
const OPS = Number(process.env.ROUTING_BENCH_OPS ?? 20_000)
const IN_FLIGHT = 64

type Mode = 'random coordinator' | 'token-aware driver'

function workMessages(c: SimCluster): number {
  let n = 0
  for (const v of Object.values(c.traffic)) n += v
  return n
}

async function run(mode: Mode, ops: number) {
  const c = await createSimCluster(
    { numNodes: NODES, replicationFactor: 3, seed: 13, antiEntropyIntervalMs: 0 },
    { traceMessages: false },
  )
  for (let i = 0; i < KEYS; i++) await c.put(i % NODES, `key${i}`, 'v0')
  await c.settle()
  c.autoDrive = false
  const driver = createDriver(c, { loadBalanceReads: true })
  let rnd = 0x9e3779b1
  const next = (): number => {
    rnd = (Math.imul(rnd ^ (rnd >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0
    return rnd / 2 ** 32
  }
  const before = workMessages(c)
  const t0 = performance.now()
  const v0 = c.sim.nowMs
  let started = 0
  let done = 0
  let errors = 0
  let latencyMs = 0
  const one = async (): Promise<void> => {
    while (started < ops) {
      started++
      const key = `key${Math.floor(next() * KEYS)}`
      const read = next() < 0.5
      const node = Math.floor(next() * NODES)
      try {
        const r =
          mode === 'token-aware driver'
            ? read
              ? await driver.read(null, key)
              : await driver.put(null, key, `v${started}`)
            : read
              ? await c.read(node, key)
              : await c.put(node, key, `v${started}`)
        latencyMs += r.latencyMs
        done++
      } catch {
        errors++
      }
    }
  }
  const clients = Array.from({ length: IN_FLIGHT }, one)
  const all = Promise.all(clients)
  let finished = false
  void all.then(() => {
    finished = true
  })
  while (!finished) await c.runFor(5)
  const secs = (performance.now() - t0) / 1000
  const msgs = workMessages(c) - before
  const virtualSecs = (c.sim.nowMs - v0) / 1000
  driver.close()
  await c.shutdown()
  return {
    mode,
    msgsPerOp: msgs / ops,
    opsPerSec: done / secs,
    virtualOpsPerSec: done / virtualSecs,
    meanLatencyMs: latencyMs / Math.max(1, done),
    errors,
  }
}

await run('random coordinator', 2000) // warm-up
await run('token-aware driver', 2000)
const rows = [await run('random coordinator', OPS), await run('token-aware driver', OPS)]
console.log(`${NODES} nodes, N = 3, QUORUM, ${OPS} ops (50% reads, ${KEYS} keys, ${IN_FLIGHT} in flight)`)
console.log(
  '| client | messages/op | ops/s (simulator, wall) | ops/s (virtual) | mean latency (virtual ms) | errors |',
)
console.log('|---|---|---|---|---|---|')
for (const r of rows)
  console.log(
    `| ${r.mode} | ${r.msgsPerOp.toFixed(2)} | ${Math.round(r.opsPerSec)} | ${Math.round(r.virtualOpsPerSec)} | ${r.meanLatencyMs.toFixed(2)} | ${r.errors} |`,
  )
const [rand, aware] = rows
console.log(
  `ratio token-aware / random: messages/op ${(aware.msgsPerOp / rand.msgsPerOp).toFixed(2)}×, ops/s ${(aware.opsPerSec / rand.opsPerSec).toFixed(2)}×, latency ${(aware.meanLatencyMs / rand.meanLatencyMs).toFixed(2)}×`,
)
