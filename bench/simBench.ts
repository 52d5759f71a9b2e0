/**
 * Simulator throughput in Node: simulated messages per second (target ≥ 200k/s on 2 cores).
 * Three figures, from the bare simulator to the whole node stack:
 *  - network only: the event queue, fault decisions and deliveries between echo endpoints;
 *  - heartbeats: real DbNodes exchanging ping/pong (message dispatch, failure detector, no storage);
 *  - replicated writes: real DbNodes replicating writes (LSM engine, WAL group commit, replication
 *    log, Merkle leaf tracking) — every delivered replicate and ack counts as a message.
 * Run: npm run bench:sim
 */
import { createSimCluster } from '../src/cluster/createCluster'
import { decideDelivery, emptyFaults } from '../src/core/faults/linkRules'
import type { NodeId } from '../src/core/ids'
import { seededRandom } from '../src/core/random'
import { Simulator } from '../src/sim/simulator'

async function networkOnly(messages: number): Promise<number> {
  const sim = new Simulator()
  const faults = emptyFaults(1)
  const rnd = seededRandom(1)
  const ids = ['node_0', 'node_1', 'node_2'] as NodeId[]
  let delivered = 0
  const send = (from: number, to: number): void => {
    const fate = decideDelivery(faults, ids[from], ids[to], rnd)
    if (fate.drop) return
    for (const d of fate.delaysMs)
      sim.schedule(d, () => {
        delivered++
        if (delivered < messages) send(to, (to + 1) % 3)
      })
  }
  for (let i = 0; i < 64; i++) send(i % 3, (i + 1) % 3) // 64 messages in flight
  const t0 = performance.now()
  await sim.runUntil(() => delivered >= messages, Number.POSITIVE_INFINITY)
  return delivered / ((performance.now() - t0) / 1000)
}

async function heartbeats(numNodes: number, virtualMs: number): Promise<number> {
  const c = await createSimCluster(
    { numNodes, seed: 1, heartbeatIntervalMs: 10, heartbeatTimeoutMs: 100, antiEntropyIntervalMs: 0 },
    { traceMessages: false },
  )
  const t0 = performance.now()
  const before = c.counters.delivered
  await c.runFor(virtualMs)
  const rate = (c.counters.delivered - before) / ((performance.now() - t0) / 1000)
  await c.shutdown()
  return rate
}

async function writes(numNodes: number, count: number): Promise<{ msgs: number; writes: number }> {
  const c = await createSimCluster(
    { numNodes, seed: 1, consistency: 'ONE', antiEntropyIntervalMs: 0 },
    { traceMessages: false },
  )
  c.autoDrive = false
  const pending: Array<Promise<unknown>> = []
  const before = c.counters.delivered
  const t0 = performance.now()
  for (let i = 0; i < count; i++) {
    pending.push(c.put(i % numNodes, `k${i % 1000}`, `v${i}`).catch(() => {}))
    if (i % 100 === 99) await c.runFor(5)
  }
  await c.settle()
  await Promise.all(pending)
  const secs = (performance.now() - t0) / 1000
  await c.shutdown()
  return { msgs: (c.counters.delivered - before) / secs, writes: count / secs }
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en')
const rows: Array<[string, number]> = []
await networkOnly(50_000)
rows.push(['network only (3 endpoints, 64 in flight)', await networkOnly(500_000)])
await heartbeats(16, 200)
rows.push(['heartbeats, 16 real nodes', await heartbeats(16, 3000)])
await writes(3, 3000)
const w = await writes(3, 20_000)
rows.push(['replicated writes, 3 real nodes (LSM, WAL, log, Merkle; ops batched per message)', w.msgs])
console.log('| simulated | messages/s | vs 200k target |')
console.log('|---|---|---|')
for (const [name, rate] of rows) console.log(`| ${name} | ${fmt(rate)} | ${(rate / 200_000).toFixed(2)}× |`)
console.log(
  `replicated writes applied on all 3 nodes: ${fmt(w.writes)} writes/s (${fmt(w.writes * 2)} replica applies/s)`,
)
