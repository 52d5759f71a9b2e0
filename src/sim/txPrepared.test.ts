/**
 * Durable prepares: a lock owner that restarts after a transaction prepared there, before its rows
 * reached W, reloads that transaction's locks from its disk and resolves them by asking the record
 * holder — a second transaction waits for the outcome instead of locking and reading the old row.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { sweepSeeds } from './dynamoHarness'

type Sim = Awaited<ReturnType<typeof createSimCluster>>
/** Long: the holder's roll-forward (a quarter lease after the decide) waits for the test. */
const LEASE_MS = 20_000

/**
 * Two keys in two partitions, none of whose replicas is node_0 (the coordinator): `first` (its
 * owner holds the record), and `second`, whose lock owner L is not among `first`'s replicas — so
 * the holder's own rows (written with the record) never show in a read of `second`.
 */
/** Runs `body` for each seed (SEEDS=n for more, SEED=s for one), naming the failing seed. */
async function eachSeed(body: (seed: number) => Promise<void>): Promise<void> {
  for (const seed of sweepSeeds(4, 3)) {
    try {
      await body(seed)
    } catch (e) {
      throw new Error(
        `seed ${seed}: ${(e as Error).message}\n  replay: SEED=${seed} npx vitest run src/sim/txPrepared.test.ts`,
      )
    }
  }
}

async function setup(seed = 3) {
  const c = await createSimCluster({
    numNodes: 5,
    replicationFactor: 3,
    seed,
    txLeaseMs: LEASE_MS,
    lockTimeoutMs: 3 * LEASE_MS,
    antiEntropyIntervalMs: 0,
  })
  const replicasOf = (pk: string) =>
    (c.getPartitionMap().partitions.find((p) => p.id === c.getPartitionId(pk))?.replicas ?? []) as string[]
  const pks = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, '0')}`).filter(
    (pk) => !replicasOf(pk).includes('node_0'),
  )
  let pair: [string, string] | undefined
  for (const a of pks)
    for (const b of pks)
      if (
        !pair &&
        a < b &&
        !replicasOf(b).includes(replicasOf(a)[0]) &&
        !replicasOf(a).includes(replicasOf(b)[0])
      )
        pair = [a, b]
  if (!pair) throw new Error('no two partitions fit')
  const keys = [`${pair[0]}|a`, `${pair[1]}|b`]
  for (const k of keys) await c.put(1, k, 'old', { level: 'ALL' })
  return { c, keys, holder: replicasOf(pair[0])[0], lockOwner: replicasOf(pair[1])[0] }
}

/** From its first `tx` send of `kind`, node_0 sends nothing more (then it is killed). */
async function commitDying(c: Sim, keys: string[], kind: string): Promise<{ tx: string; outcome: string }> {
  const tx = await c.beginTransaction(0)
  for (const k of keys) await c.getForUpdate(tx, k) // (its version then outranks the old rows')
  for (const k of keys) await c.put(0, k, 'new', { txId: tx })
  const node = c.liveNode(0)
  const send = node.send.bind(node)
  let dead = false
  node.send = (to, body) => {
    if (!dead && body.type === 'tx' && body.body.kind === kind) dead = true
    if (!dead) send(to, body)
  }
  const outcome = await c.commitTransaction(tx).then(
    () => 'committed',
    (e) => e.code as string,
  )
  await c.kill(0)
  return { tx, outcome }
}

async function preparedOnDisk(c: Sim, node: string): Promise<string[]> {
  const rows = await c.liveNode(node).env.disk.getRange('meta', { lower: 'txprep|', upper: 'txprep|\uffff' })
  return rows.map((r) => String(r.key))
}

describe('durable prepares at lock owners', () => {
  it('the lock owner restarts after the decide, before any apply: a second locker reads the committed row', () =>
    eachSeed(async (seed) => {
      const { c, keys, lockOwner } = await setup(seed)
      const { outcome } = await commitDying(c, keys, 'apply')
      expect(outcome).toBe('committed') // decided: the holder rolls it forward
      await c.kill(lockOwner)
      await c.restart(lockOwner)
      const t = await c.beginTransaction(1)
      const read = await c.getForUpdate(t, keys[1]).catch((e) => e.code as string)
      expect(read).toBe('new') // waited for the record's outcome; never the old row
      await c.abortTransaction(t)
      await c.runFor(1000)
      expect(await preparedOnDisk(c, lockOwner)).toEqual([]) // deleted on release
      await c.shutdown()
    }))

  it('the lock owner restarts before the decide: the reloaded locks wait for the record, which aborts', () =>
    eachSeed(async (seed) => {
      const { c, keys, lockOwner } = await setup(seed)
      const { tx, outcome } = await commitDying(c, keys, 'decide')
      expect(outcome).not.toBe('committed')
      expect(await preparedOnDisk(c, lockOwner)).toEqual([`txprep|${tx}`]) // acknowledged only once durable
      await c.kill(lockOwner)
      await c.restart(lockOwner)
      expect((await c.listTransactions()).find((n) => n.node === lockOwner)?.locks).toHaveLength(1)
      const t = await c.beginTransaction(1)
      expect(await c.getForUpdate(t, keys[1])).toBe('old') // after the lease: ABORTED, locks dropped
      await c.commitTransaction(t)
      await c.runFor(1000) // the delete rides along with the next group commit (lazy)
      expect(await preparedOnDisk(c, lockOwner)).toEqual([])
      await c.shutdown()
    }))

  it('the record holder writes no prepare of its own: restarted after the decide, it re-locks from its record', async () => {
    const { c, keys, holder } = await setup()
    const { tx } = await commitDying(c, keys, 'apply')
    expect(await preparedOnDisk(c, holder)).toEqual([])
    await c.kill(holder)
    await c.restart(holder)
    const locks = (await c.listTransactions()).find((n) => n.node === holder)?.locks
    expect(locks).toEqual([{ key: keys[0], txId: tx, mode: 'X' }])
    const t = await c.beginTransaction(1)
    expect(await c.getForUpdate(t, keys[0])).toBe('new')
    await c.abortTransaction(t)
    await c.shutdown()
  })

  it('a committed transaction leaves no prepared entry on any lock owner', async () => {
    const { c, keys, holder, lockOwner } = await setup()
    const tx = await c.beginTransaction(1)
    for (const k of keys) await c.put(1, k, 'new', { txId: tx })
    await c.commitTransaction(tx)
    await c.runFor(1000)
    for (const n of [holder, lockOwner]) expect(await preparedOnDisk(c, n)).toEqual([])
    await c.shutdown()
  })
})
