/**
 * The node's metadata snapshot (clock, own seq, dot cloud) rides inside the WAL record of a commit
 * that writes rows, instead of a put of its own (nodeMeta.ts). A crash must still find it there, and
 * once a flush drops those records, in 'meta/node@flush'.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { NodeId } from '../core/ids'
import type { WalRecord } from '../core/storage/walWriter'

const ORIGIN = 'node_0' as NodeId

describe('the metadata snapshot inside the WAL record', () => {
  it('a replica commit stores its snapshot in the WAL record; after a crash the dots and clock are back, before and after a flush', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 5, antiEntropyIntervalMs: 0 })
    for (let i = 0; i < 20; i++) expect((await c.put(0, `k${i}`, `v${i}`, { level: 'ALL' })).ok).toBe(true)
    await c.settle()
    const replica = c.liveNode(1)
    const seen = replica.dots.highest(ORIGIN)
    expect(seen).toBeGreaterThan(0)
    const wal = (await c.disk(1).getRange('wal')).map((e) => e.value as WalRecord)
    expect(wal.length).toBeGreaterThan(0)
    // Every WAL record of the replica carries the snapshot taken when it committed.
    expect(wal.every((r) => r.attach !== undefined)).toBe(true)
    const newest = wal.at(-1)!.attach as { dots: Record<string, { max: number }> }
    expect(newest.dots[ORIGIN].max).toBe(seen)
    const clockBefore = replica.clock.time

    await c.kill(1)
    await c.restart(1)
    expect(c.liveNode(1).dots.highest(ORIGIN)).toBeGreaterThanOrEqual(seen)
    expect(c.liveNode(1).clock.time).toBeGreaterThanOrEqual(clockBefore)

    // A flush drops the WAL records: the snapshot covering them is in meta/node@flush.
    await c.flush(1)
    expect(await c.disk(1).getRange('wal')).toEqual([])
    const flushed = (await c.disk(1).get('meta', 'node@flush')) as { dots: Record<string, { max: number }> }
    expect(flushed.dots[ORIGIN].max).toBeGreaterThanOrEqual(seen)
    await c.kill(1)
    await c.restart(1)
    expect(c.liveNode(1).dots.highest(ORIGIN)).toBeGreaterThanOrEqual(seen)
    expect(await c.get(1, 'k3')).toBe('v3')
    await c.shutdown()
  })
})
