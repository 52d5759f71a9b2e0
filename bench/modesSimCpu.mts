/**
 * CPU µs per write of each conflict mode on the simulator (the node code without IndexedDB or
 * postMessage): lww vs vector on distinct keys, lww vs PN-Counter increments on 64 hot keys, the
 * runs alternated over ROUNDS rounds in one process. Run: npx tsx bench/modesSimCpu.mts
 */
import { createSimCluster } from '../src/cluster/createCluster'
import type { Cluster } from '../src/cluster/types'

const N = Number(process.env.N ?? 10000)
const ROUNDS = Number(process.env.ROUNDS ?? 5)
const value = 'v'.repeat(100)
const COUNTERS = 64
const crdtConfig = Object.fromEntries(
  Array.from({ length: COUNTERS }, (_, i) => [`ctr-${i}`, 'pncounter' as const]),
)
type Run = {
  name: string
  mode: 'lww' | 'vector' | 'crdt'
  op: (c: Cluster, i: number, tag: string) => Promise<unknown>
}
const runs: Run[] = [
  { name: 'lww distinct', mode: 'lww', op: (c, i, t) => c.put(i % 3, `${t}-${i}`, value) },
  { name: 'vector distinct', mode: 'vector', op: (c, i, t) => c.put(i % 3, `${t}-${i}`, value) },
  { name: 'lww 64 hot', mode: 'lww', op: (c, i) => c.put(i % 3, `ctr-${i % COUNTERS}`, value) },
  {
    name: 'crdt 64 counters',
    mode: 'crdt',
    op: (c, i) => c.applyCrdt(i % 3, `ctr-${i % COUNTERS}`, { inc: 1 }),
  },
]
async function once(r: Run, count: number, tag: string) {
  const c = await createSimCluster(
    {
      numNodes: 3,
      seed: 1,
      antiEntropyIntervalMs: 0,
      consistencyMode: r.mode,
      crdtConfig: r.mode === 'crdt' ? crdtConfig : undefined,
    },
    { traceMessages: false },
  )
  c.autoDrive = false
  const pending: Array<Promise<unknown>> = []
  const u0 = process.cpuUsage()
  for (let i = 0; i < count; i++) {
    pending.push(r.op(c, i, tag).catch(() => {}))
    if (i % 128 === 127) await c.runFor(5)
  }
  await c.settle()
  await Promise.all(pending)
  const u = process.cpuUsage(u0)
  await c.shutdown()
  return (u.user + u.system) / count
}
const res = new Map(runs.map((r) => [r.name, [] as number[]]))
for (const r of runs) await once(r, 2000, 'warm')
for (let round = 0; round < ROUNDS; round++)
  for (const r of runs) res.get(r.name)!.push(await once(r, N, `r${round}`))
const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]
for (const r of runs)
  console.log(
    `${r.name}: median ${med(res.get(r.name)!).toFixed(1)} µs CPU/write (rounds ${res
      .get(r.name)!
      .map((x) => x.toFixed(0))
      .join(', ')})`,
  )
const m = (n: string) => med(res.get(n)!)
console.log(
  `lww/vector by CPU: ${(m('lww distinct') / m('vector distinct')).toFixed(2)}×; lww-hot/crdt: ${(m('lww 64 hot') / m('crdt 64 counters')).toFixed(2)}×`,
)
