/**
 * What the live checker's workload tap costs a node per op (issue #17): the generator's client
 * wrapped by HistoryTap against a client that answers at once, vs the same client unwrapped, plus the
 * structured clone of the records a node posts with its update. `npx tsx bench/historyTapBench.ts`.
 */
import { workloadTapResults } from '../src/cluster/tapResults'
import type { WorkloadClient } from '../src/core/workload/generator'
import { HistoryTap } from '../src/core/workload/historyTap'

const OPS = Number(process.env.OPS ?? 200_000)
const version = { ts: 12345, node: 'node_1' }
const acks = [{ node: 'node_1' }, { node: 'node_2' }]
const row = { key: 'k', value: `00000001~n1.mf3k2x.1~${'x'.repeat(12)}`, version, tombstone: false }
const replies = [
  { node: 'node_1', version },
  { node: 'node_2', version },
]
const raw: WorkloadClient = {
  put: async () => ({ key: 'k', version, acks, opId: 'node_1:17' }),
  read: async () => ({ key: 'k', row, replies, repaired: [] }),
}

async function drive(c: WorkloadClient, tap: HistoryTap | null): Promise<{ ms: number; cloneMs: number }> {
  let cloneMs = 0
  const t0 = performance.now()
  for (let i = 0; i < OPS; i += 100) {
    const batch: Promise<unknown>[] = []
    for (let j = 0; j < 100; j++) {
      const key = `k${String((i + j) % 1000).padStart(5, '0')}`
      batch.push(
        j % 2 ? c.read(key) : c.put(key, `${(i + j).toString(36).padStart(8, '0')}${'x'.repeat(24)}`),
      )
    }
    await Promise.all(batch)
    if (tap && i % 1000 === 0) {
      const b = tap.take()
      const c0 = performance.now()
      if (b) structuredClone(b)
      cloneMs += performance.now() - c0
    }
  }
  return { ms: performance.now() - t0, cloneMs }
}

for (let round = 0; round < 3; round++) {
  const plain = await drive(raw, null)
  const tap = new HistoryTap({
    tag: 'n1.x',
    sampleEvery: 1,
    nowMs: () => Date.now(),
    results: workloadTapResults,
  })
  const tapped = await drive(
    tap.client(raw, () => 'node_1'),
    tap,
  )
  const us = (ms: number) => ((ms * 1000) / OPS).toFixed(2)
  console.log(
    `round ${round + 1}: plain ${us(plain.ms)} µs/op, tapped ${us(tapped.ms)} µs/op (of which clone ${us(tapped.cloneMs)}): +${us(tapped.ms - plain.ms)} µs/op`,
  )
}
