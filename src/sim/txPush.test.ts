/**
 * A deadlock cycle through a PREPARED holder: the younger transaction has prepared at owner A (it
 * holds P there and cannot simply be wounded: it may be past its commit point) and waits in its
 * prepare at owner B for Q, which the older one holds; the older one then wants P at A. Wound-wait
 * "pushes" the younger one's record: its holder aborts it while still PENDING, its locks go
 * everywhere, the older one commits well under lockTimeoutMs and nothing of the younger is applied.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { sweepSeeds } from './dynamoHarness'

type Sim = Awaited<ReturnType<typeof createSimCluster>>
const LOCK_TIMEOUT_MS = 5000

/** Runs `body` for each seed (SEEDS=n for more, SEED=s for one), naming the failing seed. */
async function eachSeed(body: (seed: number) => Promise<void>): Promise<void> {
  for (const seed of sweepSeeds(5, 9)) {
    try {
      await body(seed)
    } catch (e) {
      throw new Error(
        `seed ${seed}: ${(e as Error).message}\n  replay: SEED=${seed} npx vitest run src/sim/txPush.test.ts`,
      )
    }
  }
}

async function setup(seed: number) {
  const c = await createSimCluster({
    numNodes: 3,
    replicationFactor: 3,
    seed,
    lockTimeoutMs: LOCK_TIMEOUT_MS,
  })
  const ownerOf = (k: string) =>
    c.getPartitionMap().partitions.find((p) => p.id === c.getPartitionId(k))?.replicas[0] as string
  let b = ''
  for (let i = 0; !b; i++) if (ownerOf(`b${i}`) !== ownerOf('a')) b = `b${i}`
  return { c, ownerOf, a: 'a', b }
}

/** Every replica (read at ALL) holds `want` for each key. */
async function expectAll(c: Sim, keys: string[], want: string) {
  for (const k of keys) expect(await c.get(0, k, { level: 'ALL' }), k).toBe(want)
}

/** P: where the younger prepares; Q: where it waits behind the older one. */
async function cycle(c: Sim, ownerOf: (k: string) => string, p: string, q: string) {
  for (const k of [p, q]) await c.put(0, k, 'old', { level: 'ALL' })
  const older = await c.beginTransaction(1)
  const younger = await c.beginTransaction(2)
  await c.getForUpdate(older, q)
  await c.put(2, p, 'young', { txId: younger })
  await c.put(2, q, 'young', { txId: younger })
  const youngCommit = c.commitTransaction(younger).then(
    () => 'committed',
    (e) => `${e.code} applied:${e.details?.applied}`,
  )
  await c.runFor(50)
  // The younger holds P at its owner (prepared there) and waits at Q's owner.
  const atP = (await c.listTransactions()).find((n) => n.node === ownerOf(p))
  expect(atP?.locks).toContainEqual({ key: p, txId: younger, mode: 'X' })
  const t0 = c.time.nowMs
  expect(await c.getForUpdate(older, p)).toBe('old')
  const waitedMs = c.time.nowMs - t0
  await c.put(1, p, 'older', { txId: older })
  await c.put(1, q, 'older', { txId: older })
  await c.commitTransaction(older)
  expect(await youngCommit).toBe('TX_DEADLOCK applied:none')
  expect(waitedMs).toBeLessThan(LOCK_TIMEOUT_MS / 10)
  await expectAll(c, [p, q], 'older')
  return { younger }
}

describe('a deadlock cycle through a prepared holder is broken by pushing its record', () => {
  it('its record is held where it prepared: aborted at once, the older commits, nothing half-applied', () =>
    eachSeed(async (seed) => {
      const { c, ownerOf, a, b } = await setup(seed)
      const { younger } = await cycle(c, ownerOf, a, b) // smallest written key a: record at a's owner
      const rec = (await c.listTransactions()).flatMap((n) => n.records).find((r) => r.txId === younger)
      expect(rec).toMatchObject({ state: 'aborted' })
      await c.shutdown()
    }))

  it('its record is held where it waits (not yet opened): aborted first, so its prepare there is refused', () =>
    eachSeed(async (seed) => {
      const { c, ownerOf, a, b } = await setup(seed)
      await cycle(c, ownerOf, b, a) // prepared at b's owner, waiting at a's owner, which holds the record
      await c.shutdown()
    }))

  it('a prepared holder whose record is COMMITTED is not aborted: the older locker waits and reads its rows', async () => {
    const { c } = await setup(9)
    const older = await c.beginTransaction(1)
    const younger = await c.beginTransaction(2)
    await c.put(2, 'k', 'young', { txId: younger })
    const done = c.commitTransaction(younger)
    await c.runFor(1) // prepared, possibly decided: either way the older waits, never half-applied
    const read = await c.getForUpdate(older, 'k')
    expect((await done).committed).toBe(true)
    expect(read).toBe('young')
    await c.shutdown()
  })
})
