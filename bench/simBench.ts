/**
 * Simulator throughput: simulated messages per second in Node (target ≥ 200k/s on 2 cores).
 * Run: npm run bench:sim
 */
import { createSimCluster } from '../src/cluster/createCluster'

async function run(numNodes: number, writes: number): Promise<{ msgs: number; ms: number; events: number }> {
  const c = await createSimCluster({ numNodes, seed: 1, consistency: 'ONE' }, { traceMessages: false })
  c.autoDrive = false
  const t0 = performance.now()
  const pending: Array<Promise<unknown>> = []
  for (let i = 0; i < writes; i++) {
    pending.push(c.put(i % numNodes, `k${i % 1000}`, `v${i}`).catch(() => {}))
    if (i % 100 === 99) await c.runFor(5)
  }
  await c.settle()
  await Promise.all(pending)
  const ms = performance.now() - t0
  const msgs = c.counters.delivered
  await c.shutdown()
  return { msgs, ms, events: c.sim.steps }
}

const rows: string[] = []
for (const [n, w] of [
  [3, 20_000],
  [5, 10_000],
] as const) {
  await run(n, 2000) // warm up
  const r = await run(n, w)
  rows.push(
    `| ${n} nodes, ${w} writes | ${r.msgs} | ${r.events} | ${r.ms.toFixed(0)} | ${Math.round(r.msgs / (r.ms / 1000)).toLocaleString('en')} |`,
  )
}
console.log('| run | messages delivered | sim events | wall ms | messages/s |')
console.log('|---|---|---|---|---|')
for (const r of rows) console.log(r)
console.log('target: ≥ 200,000 messages/s')
