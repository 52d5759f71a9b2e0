import { createSimCluster } from '/work/wt/c14b/src/cluster/createCluster'

const mode = (process.env.MODE ?? 'lww') as 'lww' | 'vector' | 'crdt'
const N = Number(process.env.N ?? 20000)
const value = 'x'.repeat(100)
async function run(count: number) {
  const c = await createSimCluster(
    {
      numNodes: 3,
      seed: 1,
      antiEntropyIntervalMs: 0,
      consistencyMode: mode,
      crdtConfig:
        mode === 'crdt'
          ? Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`ctr-${i}`, 'pncounter']))
          : undefined,
    },
    { traceMessages: false },
  )
  c.autoDrive = false
  const pending: Array<Promise<unknown>> = []
  const t0 = performance.now()
  for (let i = 0; i < count; i++) {
    const p = mode === 'crdt' ? c.applyCrdt(i % 3, `ctr-${i % 64}`, { inc: 1 }) : c.put(i % 3, `k${i}`, value)
    pending.push(p.catch(() => {}))
    if (i % 128 === 127) await c.runFor(5)
  }
  await c.settle()
  await Promise.all(pending)
  const ms = performance.now() - t0
  await c.shutdown()
  return ms
}
await run(3000)
const ms = await run(N)
console.log(
  `${mode}: ${N} writes in ${ms.toFixed(0)} ms = ${((ms * 1000) / N).toFixed(1)} µs/write (sim, whole process)`,
)
