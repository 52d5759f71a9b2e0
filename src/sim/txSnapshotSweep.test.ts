/**
 * Snapshot reads under random faults: four accounts whose total is invariant, transfers between them
 * (atomic `transfer` under locks, and read-then-write transactions without locks that rely on first
 * committer wins), and snapshot readers that read every account one by one while the transfers run,
 * from every node, while nodes are killed, restarted and partitioned. Isolation 'snapshot' on odd
 * seeds, 'serializable' on even ones. The checker asks for:
 * - every reader that read all four accounts (and then committed or aborted) saw the total;
 * - no transfer lost or made money: after healing and settling, a snapshot read sees the total, and
 *   no account went below zero;
 * - no lock outlives its transaction.
 * Default 50 seeds; more: TX_SEEDS=300. Replay one: SEED=12 npx vitest run src/sim/txSnapshotSweep.test.ts
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { isDbError } from '../core/errors'
import { type Random, seededRandom } from '../core/random'
import { faultStep } from './sweep/faultStep'
import { failingSeeds } from './sweep/seedLoop'

const single = process.env.SEED ? [Number(process.env.SEED)] : null
const count = Number(process.env.TX_SEEDS ?? 50)
const seeds = single ?? Array.from({ length: count }, (_, i) => i + 1)
const STEPS = 24
const LEASE_MS = 800
const ACCOUNTS = ['acct0|k', 'acct1|k', 'acct2|k', 'acct3|k']
const START = 100
const TOTAL = START * ACCOUNTS.length

type Sim = Awaited<ReturnType<typeof createSimCluster>>

const totals = { readers: 0, readersFull: 0, transfers: 0, rmw: 0, failedTransfers: 0 }
/** What the lock owners' snapshot reads did (live incarnations at each seed's end: a lower bound). */
const served = { reads: 0, fromHistory: 0, waited: 0, refreshed: 0, tooOld: 0 }
/** Why readers did not read every account, by code. */
const readerCodes: Record<string, number> = {}
/** Why atomic transfers failed, by code. */
const transferCodes: Record<string, number> = {}

async function run(seed: number): Promise<string[]> {
  const rnd = seededRandom(seed)
  const c = await createSimCluster({
    numNodes: 4,
    replicationFactor: 3,
    lockTimeoutMs: 300,
    txLeaseMs: LEASE_MS,
    isolation: seed % 2 === 1 ? 'snapshot' : 'serializable',
    seed,
  })
  const faults: string[] = []
  const problems: string[] = []
  const up = (): number[] => c.nodes.filter((n) => n.status === 'up').map((n) => Number(n.id.slice(5)))
  const pick = (): number => {
    const live = up()
    return live.length ? live[rnd.int(live.length)] : 0
  }
  try {
    for (const key of ACCOUNTS) await c.put(0, key, String(START), { level: 'ALL' })
    for (let step = 0; step < STEPS; step++) {
      const n = rnd.int(4)
      const r = rnd.next()
      if (await faultStep(c, n, r, { kill: 0.06, restart: 0.14, partition: 0.19, heal: 0.24 }, faults))
        continue
      if (up().length > 0) {
        const [a, b] = pair(rnd)
        const [p, q] = pair(rnd)
        const killMs = rnd.next() < 0.2 ? rnd.int(80) : -1
        const victim = pick()
        if (killMs >= 0) faults.push(`kill ${victim} after ${killMs} ms`)
        await Promise.all([
          reader(c, pick(), rnd, problems),
          transfer(c, pick(), a, b, 1 + rnd.int(20)),
          readModifyWrite(c, pick(), p, q, 1 + rnd.int(20)),
          reader(c, pick(), rnd, problems),
          killMs >= 0 ? c.runFor(killMs).then(() => c.kill(victim).catch(() => {})) : null,
        ])
      }
    }
    c.heal()
    for (const node of c.nodes) if (node.status !== 'up') await c.restart(node.id)
    await c.settle()
    await c.runFor(2 * LEASE_MS + LEASE_MS / 4 + 50)
    const final = await finalBalances(c)
    if (sum(final) !== TOTAL) problems.push(`final total ${sum(final)} ≠ ${TOTAL}: ${final.join(', ')}`)
    if (final.some((v) => v < 0)) problems.push(`negative balance: ${final.join(', ')}`)
    for (const node of c.nodes) {
      if (node.status !== 'up') continue
      const stats = c.liveNode(node.id).tx.locks.snapshots.stats
      for (const k of Object.keys(served) as Array<keyof typeof served>) served[k] += stats[k]
    }
    const locks = (await c.listTransactions()).flatMap((x) =>
      x.locks.map((l) => `${x.node}:${l.key}:${l.txId}`),
    )
    if (locks.length) problems.push(`locks outlived their transactions: ${locks.join(', ')}`)
    return problems.length ? [...problems.slice(0, 3), `faults: ${faults.join(', ')}`] : []
  } finally {
    await c.shutdown()
  }
}

/**
 * The balances at one snapshot once everything settled. A restarted coordinator can hand out a txId
 * its lock owners already saw end (its clock resumes from the last saved one): TX_EXPIRED, try again.
 */
async function finalBalances(c: Sim): Promise<number[]> {
  for (let attempt = 1; ; attempt++) {
    const t = await c.beginTransaction(0)
    try {
      const out: number[] = []
      for (const key of ACCOUNTS) out.push(Number(await c.get(0, key, { txId: t })))
      return out
    } catch (e) {
      if (process.env.TX_DEBUG)
        console.log(
          String(e),
          c.nodes.map((n) => (n.status === 'up' ? c.liveNode(n.id).clock.time : -1)),
        )
      if (attempt >= 5) throw e
    } finally {
      await c.abortTransaction(t).catch(() => {})
    }
  }
}

/** Two different accounts. */
function pair(rnd: Random): [string, string] {
  const i = rnd.int(ACCOUNTS.length)
  const j = (i + 1 + rnd.int(ACCOUNTS.length - 1)) % ACCOUNTS.length
  return [ACCOUNTS[i], ACCOUNTS[j]]
}

function sum(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0)
}

/** Reads every account in a random order inside one transaction; the sum must be the total. */
async function reader(c: Sim, ref: number, rnd: Random, problems: string[]): Promise<void> {
  totals.readers++
  const order = [...ACCOUNTS]
  for (let i = order.length - 1; i > 0; i--) {
    const j = rnd.int(i + 1)
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  const commit = rnd.next() < 0.5
  const tx = await c.beginTransaction(ref).catch(() => null)
  if (!tx) return
  const seen: string[] = []
  try {
    for (const key of order) seen.push((await c.get(ref, key, { txId: tx })) ?? 'null')
  } catch (e) {
    const code = isDbError(e) ? e.code : 'other'
    readerCodes[code] = (readerCodes[code] ?? 0) + 1
  }
  if (seen.length === ACCOUNTS.length) {
    totals.readersFull++
    const total = sum(seen.map(Number))
    if (total !== TOTAL)
      problems.push(
        `read skew via node_${ref}: ${order.map((k, i) => `${k}=${seen[i]}`).join(' ')} sum ${total}`,
      )
  }
  if (commit) await c.commitTransaction(tx).catch(() => c.abortTransaction(tx).catch(() => {}))
  else await c.abortTransaction(tx).catch(() => {})
}

/** The atomic transfer (getForUpdate locks, retried on conflicts). */
async function transfer(c: Sim, ref: number, from: string, to: string, amount: number): Promise<void> {
  await c.transfer(ref, from, to, amount).then(
    () => void totals.transfers++,
    (e) => {
      totals.failedTransfers++
      const code = isDbError(e) ? e.code : 'other'
      transferCodes[code] = (transferCodes[code] ?? 0) + 1
    },
  )
}

/** A transfer by snapshot reads and buffered writes, no locks: first committer wins keeps it whole. */
async function readModifyWrite(c: Sim, ref: number, from: string, to: string, amount: number): Promise<void> {
  const tx = await c.beginTransaction(ref).catch(() => null)
  if (!tx) return
  try {
    const a = Number(await c.get(ref, from, { txId: tx }))
    const b = Number(await c.get(ref, to, { txId: tx }))
    if (a < amount) return void (await c.abortTransaction(tx))
    await c.put(ref, from, String(a - amount), { txId: tx })
    await c.put(ref, to, String(b + amount), { txId: tx })
    await c.commitTransaction(tx)
    totals.rmw++
  } catch {
    await c.abortTransaction(tx).catch(() => {})
  }
}

describe('snapshot reads under kills and partitions', () => {
  it(`every snapshot reader sees the invariant total; transfers keep it (${seeds.length} seeds)`, async () => {
    const failures = await failingSeeds(seeds, run, 'src/sim/txSnapshotSweep.test.ts')
    console.log(
      `snapshot sweep: ${JSON.stringify(totals)}; lock owners served ${JSON.stringify(served)} over ${seeds.length} seeds; readers stopped by ${JSON.stringify(readerCodes)}; transfers failed by ${JSON.stringify(transferCodes)}`,
    )
    expect(failures, failures.join('\n')).toEqual([])
  }, 600_000)
})
