/**
 * The `tx` section of the worker benchmark (SECTIONS=tx): committed 4-op transactions per second
 * (begin, 4 buffered puts, commit) against units of 4 plain writes (4 puts in parallel, the cluster's
 * default level) in the same run, on 3 workers with N = 3. Each unit uses its own keys (no lock waits:
 * the cost of the protocol, not of contention), spread over the three coordinators. Then 4 reads
 * inside a transaction (of the rows the transactions wrote) against 4 plain reads. TX_SNAPSHOT=1:
 * isolation 'snapshot' (MVCC snapshot reads, commit-timestamp proposals) instead of 'read-committed'.
 */
import type { BenchHelpers } from './queryBench'

const now = () => performance.now()
const OPS_PER_UNIT = 4

export async function txSection(h: BenchHelpers): Promise<void> {
  const units = h.num('TX_UNITS', 1000)
  const value = 'v'.repeat(100)
  const isolation = h.num('TX_SNAPSHOT', 0) === 1 ? 'snapshot' : 'read-committed'
  const c = await h.makeCluster({ numNodes: 3, replicationFactor: 3, isolation })
  try {
    for (const window of [1, h.num('TX_WINDOW', 32)]) {
      for (let round = 1; round <= 2; round++) {
        const tag = `w${window}r${round}`
        const run = async (unit: (i: number) => Promise<void>): Promise<number> => {
          let next = 0
          const t0 = now()
          await Promise.all(
            Array.from({ length: window }, async () => {
              while (next < units) await unit(next++)
            }),
          )
          return (units * 1000) / (now() - t0)
        }
        const plain = await run(async (i) => {
          await Promise.all(
            Array.from({ length: OPS_PER_UNIT }, (_, k) => c.put(i % 3, `p${tag}-${i}-${k}`, value)),
          )
        })
        const tx = await run(async (i) => {
          const txId = await c.beginTransaction(i % 3)
          for (let k = 0; k < OPS_PER_UNIT; k++) await c.put(i % 3, `t${tag}-${i}-${k}`, value, { txId })
          await c.commitTransaction(txId)
        })
        const label = `window ${window}, round ${round}`
        h.report(
          'tx',
          `4 plain writes, ${label}`,
          plain,
          'units/s',
          `${(plain * OPS_PER_UNIT).toFixed(0)} writes/s`,
        )
        h.report(
          'tx',
          `committed 4-op transactions, ${label}`,
          tx,
          'tx/s',
          `${(tx * OPS_PER_UNIT).toFixed(0)} rows/s`,
        )
        h.report('tx', `transactions / plain units, ${label}`, tx / plain, 'ratio')
        const plainReads = await run(async (i) => {
          await Promise.all(Array.from({ length: OPS_PER_UNIT }, (_, k) => c.get(i % 3, `t${tag}-${i}-${k}`)))
        })
        const txReads = await run(async (i) => {
          const txId = await c.beginTransaction(i % 3)
          for (let k = 0; k < OPS_PER_UNIT; k++) await c.get(i % 3, `t${tag}-${i}-${k}`, { txId })
          await c.commitTransaction(txId)
        })
        h.report('tx', `4 plain reads, ${label}`, plainReads, 'units/s')
        h.report('tx', `4 reads in a transaction (${isolation}), ${label}`, txReads, 'tx/s')
        h.report('tx', `read transactions / plain read units, ${label}`, txReads / plainReads, 'ratio')
      }
    }
    const check = await c.get(1, `tw1r1-0-3`)
    if (check !== value) throw new Error(`a committed row is missing: ${String(check)}`)
  } finally {
    await c.shutdown({ deleteData: true })
  }
}
