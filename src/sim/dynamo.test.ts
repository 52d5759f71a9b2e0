import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { ClusterOptions } from '../cluster/types'
import { isDbError } from '../core/errors'
import type { NodeId } from '../core/ids'
import { engineRows, replayLine, sweepSeeds } from './dynamoHarness'
import type { SimCluster } from './simCluster'

const FILE = 'src/sim/dynamo.test.ts'
/** Long enough for every failure detector to call a killed node down (heartbeatTimeoutMs 1500). */
const DETECT_MS = 5000

const BASE: Omit<ClusterOptions, 'runtime'> = {
  numNodes: 5,
  replicationFactor: 3,
  writeQuorum: 2,
  readQuorum: 2,
  antiEntropyIntervalMs: 0,
}

const idx = (id: NodeId): number => Number(id.slice(5))

async function hintsOnDisk(c: SimCluster, ref: number): Promise<Array<{ hintedFor: string; key: string }>> {
  const rows = await c.disk(ref).getRange('hints')
  return rows.map((r) => {
    const h = r.value as { hintedFor: string; op: { key: string } }
    return { hintedFor: h.hintedFor, key: h.op.key }
  })
}

async function heldHints(c: SimCluster, ref: number): Promise<Array<{ hintedFor: string; key: string }>> {
  return (await c.inspect(ref)).hints as Array<{ hintedFor: string; key: string }>
}

/** Runs `body` for each seed of the sweep, printing a replay line for the failing one. */
async function sweep(count: number, body: (seed: number) => Promise<void>): Promise<void> {
  for (const seed of sweepSeeds(count)) {
    try {
      await body(seed)
    } catch (e) {
      console.error(replayLine(seed, FILE))
      throw e
    }
  }
}

describe('hinted handoff (RF=3, W=2, 5 nodes)', () => {
  it('one preferred replica down: the write succeeds, a durable hint is delivered on return and deleted', async () => {
    await sweep(10, async (seed) => {
      const c = await createSimCluster({ ...BASE, seed })
      const key = `user:${seed}`
      const owners = c.liveNode(0).owners(key)
      const down = owners[2]
      await c.kill(idx(down))
      await c.runFor(DETECT_MS)
      const res = await c.put(idx(owners[0]), key, 'v1')
      const hinted = res.acks.filter((a) => a.hintedFor === down)
      expect(res.acks.length).toBeGreaterThanOrEqual(2)
      await c.settle()
      // Exactly one stand-in keeps the hint, in memory and on its disk.
      const holders: number[] = []
      for (let i = 0; i < 5; i++) {
        if (i === idx(down)) continue
        if ((await heldHints(c, i)).some((h) => h.hintedFor === down && h.key === key)) holders.push(i)
      }
      expect(holders).toHaveLength(1)
      if (hinted.length > 0) expect(holders).toEqual([idx(hinted[0].node)])
      expect((await hintsOnDisk(c, holders[0])).some((h) => h.hintedFor === down && h.key === key)).toBe(true)
      await c.restart(idx(down))
      await c.runFor(DETECT_MS)
      await c.settle()
      expect(await heldHints(c, holders[0])).toEqual([])
      expect(await hintsOnDisk(c, holders[0])).toEqual([])
      expect((await engineRows(c, idx(down))).get(key)?.value).toBe('v1')
      await c.shutdown()
    })
  })

  it('a replica killed just now (not yet seen down) still gets a hint from the coordinator', async () => {
    await sweep(10, async (seed) => {
      for (const sloppyQuorum of [true, false]) {
        const c = await createSimCluster({ ...BASE, seed, sloppyQuorum })
        const key = `fresh:${seed}`
        const owners = c.liveNode(0).owners(key)
        const coordinator = idx(owners[0])
        const down = owners[2]
        await c.kill(idx(down))
        // At once: the failure detector still calls `down` up, so the write goes to it and times out.
        const res = await c.put(coordinator, key, 'v1')
        expect(res.acks.some((a) => a.node === down)).toBe(false)
        await c.runFor(DETECT_MS)
        expect(await heldHints(c, coordinator)).toContainEqual(
          expect.objectContaining({ hintedFor: down, key }),
        )
        expect((await hintsOnDisk(c, coordinator)).some((h) => h.hintedFor === down && h.key === key)).toBe(
          true,
        )
        await c.restart(idx(down))
        await c.runFor(DETECT_MS)
        await c.settle()
        expect((await heldHints(c, coordinator)).filter((h) => h.key === key)).toEqual([])
        expect((await engineRows(c, idx(down))).get(key)?.value).toBe('v1')
        await c.shutdown()
      }
    })
  })

  it('cached routes follow the failure detector: stand-ins while an owner is down, the owner again once back', async () => {
    await sweep(5, async (seed) => {
      const c = await createSimCluster({ ...BASE, seed })
      const key = `route:${seed}`
      const owners = c.liveNode(0).owners(key)
      const coordinator = idx(owners[0])
      const down = owners[2]
      const first = await c.put(coordinator, key, 'before')
      expect(first.acks.every((a) => !a.hintedFor)).toBe(true)
      await c.kill(idx(down))
      await c.runFor(DETECT_MS)
      // The route cached by the first write must not be reused: the write goes to a stand-in.
      const during = await c.put(coordinator, key, 'during')
      await c.settle()
      expect(during.acks.some((a) => a.node === down)).toBe(false)
      let hints = 0
      for (let i = 0; i < 5; i++)
        if (i !== idx(down)) hints += (await heldHints(c, i)).filter((h) => h.key === key).length
      expect(hints).toBe(1)
      await c.restart(idx(down))
      await c.runFor(DETECT_MS)
      await c.settle()
      const after = await c.put(coordinator, key, 'after')
      expect(after.acks.every((a) => !a.hintedFor)).toBe(true)
      await c.shutdown()
    })
  })

  it('two owners down: a strict quorum fails with QUORUM_NOT_MET naming who answered; sloppy succeeds via stand-ins', async () => {
    await sweep(5, async (seed) => {
      for (const sloppyQuorum of [false, true]) {
        const c = await createSimCluster({ ...BASE, seed, sloppyQuorum })
        const key = `acct:${seed}`
        const owners = c.liveNode(0).owners(key)
        await c.kill(idx(owners[1]))
        await c.kill(idx(owners[2]))
        await c.runFor(DETECT_MS)
        if (!sloppyQuorum) {
          const err = await c.put(idx(owners[0]), key, 'x').catch((e: unknown) => e)
          expect(isDbError(err) && err.code).toBe('QUORUM_NOT_MET')
          expect((err as Error).message).toContain(owners[0])
        } else {
          const res = await c.put(idx(owners[0]), key, 'x')
          const standIns = res.acks.filter((a) => a.hintedFor !== undefined)
          expect(standIns.length).toBeGreaterThanOrEqual(1)
          for (const s of standIns) expect(owners).not.toContain(s.node)
          await c.settle()
          const hints = (
            await Promise.all(
              [0, 1, 2, 3, 4]
                .filter((i) => !owners.map(idx).slice(1).includes(i))
                .map((i) => heldHints(c, i)),
            )
          ).flat()
          expect(hints.filter((h) => h.key === key).length).toBe(2)
        }
        await c.shutdown()
      }
    })
  })

  it('hints survive the holder’s restart and are delivered afterwards', async () => {
    await sweep(5, async (seed) => {
      const c = await createSimCluster({ ...BASE, seed })
      const key = `cart:${seed}`
      const owners = c.liveNode(0).owners(key)
      const down = owners[1]
      await c.kill(idx(down))
      await c.runFor(DETECT_MS)
      await c.put(idx(owners[0]), key, 'kept')
      await c.settle()
      let holder = -1
      for (let i = 0; i < 5; i++)
        if (i !== idx(down) && (await heldHints(c, i)).some((h) => h.key === key)) holder = i
      expect(holder).toBeGreaterThanOrEqual(0)
      await c.kill(holder)
      await c.restart(holder)
      expect((await heldHints(c, holder)).some((h) => h.key === key && h.hintedFor === down)).toBe(true)
      await c.restart(idx(down))
      await c.runFor(DETECT_MS)
      await c.settle()
      expect(await heldHints(c, holder)).toEqual([])
      expect((await engineRows(c, idx(down))).get(key)?.value).toBe('kept')
      await c.shutdown()
    })
  })

  it('an old hint never overwrites a newer version', async () => {
    await sweep(5, async (seed) => {
      const c = await createSimCluster({ ...BASE, seed })
      const key = `doc:${seed}`
      const owners = c.liveNode(0).owners(key)
      const down = owners[2]
      await c.kill(idx(down))
      await c.runFor(DETECT_MS)
      await c.put(idx(owners[0]), key, 'old')
      await c.settle()
      let holder = -1
      for (let i = 0; i < 5; i++)
        if (i !== idx(down) && (await heldHints(c, i)).some((h) => h.key === key)) holder = i
      expect(holder).toBeGreaterThanOrEqual(0)
      // The holder goes away with its hint; the owner returns and takes a newer write.
      await c.kill(holder)
      await c.restart(idx(down))
      await c.runFor(DETECT_MS)
      await c.put(idx(down), key, 'new')
      await c.settle()
      expect((await engineRows(c, idx(down))).get(key)?.value).toBe('new')
      // Now the holder returns and replays its old hint: the owner keeps 'new' and the hint is gone.
      await c.restart(holder)
      await c.runFor(DETECT_MS)
      await c.settle()
      expect(await heldHints(c, holder)).toEqual([])
      expect((await engineRows(c, idx(down))).get(key)?.value).toBe('new')
      expect(await c.get(idx(owners[0]), key, { level: 'ALL' })).toBe('new')
      await c.shutdown()
    })
  })

  it('hint window: a node down longer than hintWindowMs gets no new hints', async () => {
    await sweep(5, async (seed) => {
      const c = await createSimCluster({ ...BASE, seed, hintWindowMs: 3000 })
      const key = `late:${seed}`
      const owners = c.liveNode(0).owners(key)
      const down = owners[2]
      await c.kill(idx(down))
      await c.runFor(DETECT_MS + 3000)
      const res = await c.put(idx(owners[0]), key, 'v')
      expect(res.acks.some((a) => a.hintedFor === down)).toBe(false)
      await c.settle()
      for (let i = 0; i < 5; i++) {
        if (i === idx(down)) continue
        expect((await heldHints(c, i)).filter((h) => h.hintedFor === down)).toEqual([])
      }
      // Within the window it would have been hinted.
      const c2 = await createSimCluster({ ...BASE, seed, hintWindowMs: 60_000 })
      await c2.kill(idx(down))
      await c2.runFor(DETECT_MS)
      await c2.put(idx(owners[0]), key, 'v')
      await c2.settle()
      let hinted = 0
      for (let i = 0; i < 5; i++)
        if (i !== idx(down)) hinted += (await heldHints(c2, i)).filter((h) => h.hintedFor === down).length
      expect(hinted).toBe(1)
      await c.shutdown()
      await c2.shutdown()
    })
  })
})
