/**
 * The transaction record: the coordinator dies at each step of a commit, and every replica still
 * ends with all of the transaction or none of it (never "outcome unknown" for the cluster). The
 * coordinator is node_0 and owns none of the keys, so every step crosses the network; "dies" = from
 * the chosen send on it sends nothing more, and is then killed.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { TxPeerBody } from '../core/tx/types'

type Sim = Awaited<ReturnType<typeof createSimCluster>>
const LEASE_MS = 1000
/** Long enough that the holder's roll-forward (a quarter lease after the decide) waits for the test. */
const SLOW_LEASE_MS = 20_000

async function setup(leaseMs = LEASE_MS) {
  const c = await createSimCluster({
    numNodes: 5,
    replicationFactor: 3,
    seed: 3,
    txLeaseMs: leaseMs,
    lockTimeoutMs: 500,
    antiEntropyIntervalMs: 0,
  })
  const replicasOf = (pk: string) =>
    c.getPartitionMap().partitions.find((p) => p.id === c.getPartitionId(pk))?.replicas ?? []
  // Two partitions none of whose replicas is node_0.
  const pks: string[] = []
  for (let i = 0; pks.length < 2; i++) if (!replicasOf(`p${i}`).includes('node_0' as never)) pks.push(`p${i}`)
  const keys = [`${pks[0]}|a`, `${pks[0]}|b`, `${pks[1]}|c`]
  for (const k of keys) await c.put(1, k, 'old', { level: 'ALL' })
  return { c, keys, replicasOf: (k: string) => replicasOf(k.split('|')[0]) as string[] }
}

/** From the first `tx` send whose body is `kind` (the `skip`-th one), node_0 sends nothing. */
function dieAt(c: Sim, kind: TxPeerBody['kind'], skip = 0): { died: () => boolean } {
  const node = c.liveNode(0)
  const send = node.send.bind(node)
  let dead = false
  let seen = 0
  node.send = (to, body) => {
    if (!dead && body.type === 'tx' && body.body.kind === kind && seen++ >= skip) dead = true
    if (!dead) send(to, body)
  }
  return { died: () => dead }
}

async function values(c: Sim, node: string, keys: string[]) {
  const rows = new Map((await c.scan(node, { limit: 100 })).rows.map((r) => [r.key, r.value] as const))
  return keys.map((k) => rows.get(k) ?? null)
}

/** Every replica of every key holds `want` for it. */
async function expectEverywhere(c: Sim, keys: string[], replicasOf: (k: string) => string[], want: string) {
  for (const k of keys)
    for (const r of replicasOf(k)) expect((await values(c, r, [k]))[0], `${r} ${k}`).toBe(want)
}

async function commitDying(c: Sim, keys: string[], kind: TxPeerBody['kind'], skip = 0) {
  const tx = await c.beginTransaction(0)
  for (const k of keys) await c.getForUpdate(tx, k)
  for (const k of keys) await c.put(0, k, 'new', { txId: tx })
  const probe = dieAt(c, kind, skip)
  const outcome = await c.commitTransaction(tx).then(
    () => 'committed',
    (e) => e.code as string,
  )
  expect(probe.died()).toBe(true)
  await c.kill(0)
  return { tx, outcome }
}

/** After the leases, a new transaction on another node locks every key quickly and reads `want`. */
async function expectUnlocked(c: Sim, keys: string[], want: string, leaseMs = LEASE_MS) {
  await c.runFor(3 * leaseMs)
  const t = await c.beginTransaction(1)
  const t0 = c.time.nowMs
  for (const k of keys) expect(await c.getForUpdate(t, k)).toBe(want)
  expect(c.time.nowMs - t0).toBeLessThan(500)
  await c.abortTransaction(t)
}

async function recordOf(c: Sim, txId: string) {
  for (const n of await c.listTransactions()) {
    const r = n.records.find((x) => x.txId === txId)
    if (r) return { holder: n.node, ...r }
  }
  return null
}

describe('transaction record: the coordinator dies at each step of the commit', () => {
  it('after every prepare, before the decide: the record aborts, nothing applied, locks freed', async () => {
    const { c, keys, replicasOf } = await setup()
    const { tx, outcome } = await commitDying(c, keys, 'decide')
    expect(outcome).not.toBe('committed')
    await expectUnlocked(c, keys, 'old')
    await expectEverywhere(c, keys, replicasOf, 'old')
    expect(await recordOf(c, tx)).toMatchObject({ state: 'aborted' })
    await c.shutdown()
  })

  it('after the decide, before any apply: the holder rolls it forward to every replica', async () => {
    const { c, keys, replicasOf } = await setup(SLOW_LEASE_MS)
    const { tx, outcome } = await commitDying(c, keys, 'apply')
    expect(outcome).toBe('committed') // past the commit point: durable: 'record' (fewer than W acks)
    // The holder wrote its own rows with the record (one storage write); nobody else has any yet.
    const rec = await recordOf(c, tx)
    expect(rec).toMatchObject({ state: 'committed', acked: [rec?.holder] })
    for (const k of keys)
      for (const r of replicasOf(k))
        expect((await values(c, r, [k]))[0], `${r} ${k}`).toBe(r === rec?.holder ? 'new' : 'old')
    await expectUnlocked(c, keys, 'new', SLOW_LEASE_MS)
    await expectEverywhere(c, keys, replicasOf, 'new')
    // Every replica acked: the record is dropped, shown as rolled forward among the recent ones.
    expect(await recordOf(c, tx)).toMatchObject({ state: 'committed', rolledForward: true, done: true })
    await c.shutdown()
  })

  it('mid-apply (one replica got its rows): the rest are rolled forward, each whole', async () => {
    const { c, keys, replicasOf } = await setup()
    await commitDying(c, keys, 'apply', 1)
    await expectUnlocked(c, keys, 'new')
    await expectEverywhere(c, keys, replicasOf, 'new')
    await c.shutdown()
  })

  it('after every apply, before telling the holder or releasing: the locks are freed by asking the record', async () => {
    const { c, keys, replicasOf } = await setup()
    const { outcome } = await commitDying(c, keys, 'acked')
    expect(outcome).toBe('committed')
    await expectUnlocked(c, keys, 'new')
    await expectEverywhere(c, keys, replicasOf, 'new')
    await c.shutdown()
  })

  it('the holder restarts after the decide: its record is durable and still rolled forward', async () => {
    const { c, keys, replicasOf } = await setup(SLOW_LEASE_MS)
    const { tx } = await commitDying(c, keys, 'apply')
    const rec = await recordOf(c, tx)
    expect(rec).toMatchObject({ state: 'committed' })
    await c.kill(rec?.holder as string)
    await c.restart(rec?.holder as string)
    expect(await recordOf(c, rec?.txId as string)).toMatchObject({ state: 'committed' })
    await c.runFor(SLOW_LEASE_MS)
    await expectEverywhere(c, keys, replicasOf, 'new')
    await c.shutdown()
  })

  it('a locker waiting behind a COMMITTED-but-unapplied transaction reads its rows, not the old ones', async () => {
    const { c, keys } = await setup()
    await commitDying(c, keys, 'apply')
    const t = await c.beginTransaction(1)
    expect(await c.getForUpdate(t, keys[0])).toBe('new') // waited for the roll-forward, no lost update
    await c.shutdown()
  })
})
