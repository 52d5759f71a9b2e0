/**
 * A node whose metadata record (meta/node) is rolled back, lost or garbage. Rolled back or lost: its
 * new writes must still reach its peers (they used to take them for duplicates of old op ids and
 * drop them). Garbage: the open fails STORAGE_CORRUPT, naming what is wrong.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { isDbError } from '../core/errors'
import type { NodeId } from '../core/ids'
import { PROTOCOL_VERSION } from '../core/protocol/messages'

const WRITES = 50

async function rolledBackRun(rollback: (old: unknown) => unknown): Promise<string[]> {
  const c = await createSimCluster({ numNodes: 3, seed: 11, antiEntropyIntervalMs: 0 })
  await c.put(0, 'first', 'v0')
  await c.settle()
  const old = await c.disk(0).get('meta', 'node')
  for (let i = 0; i < WRITES; i++) await c.put(0, `old${i}`, 'x')
  await c.settle()
  await c.kill(0)
  await c.disk(0).commit([{ type: 'put', store: 'meta', key: 'node', value: rollback(old) }])
  await c.restart(0)
  await c.runFor(3000)
  const acked: string[] = []
  for (let i = 0; i < WRITES; i++) {
    const r = await c.put(0, `new${i}`, `n${i}`, { level: 'QUORUM' })
    if (r.ok) acked.push(`new${i}`)
  }
  expect(acked).toHaveLength(WRITES)
  await c.settle()
  // Every acknowledged write is on both peers (anti-entropy is off: replication alone must do it).
  const missing: string[] = []
  for (const peer of [1, 2]) {
    const node = c.liveNode(peer)
    for (const key of acked) {
      const row = await c.drive(node.localRow(key))
      if (row?.value !== `n${key.slice(3)}`) missing.push(`node_${peer}/${key}`)
    }
  }
  return missing
}

describe('node metadata rolled back or lost', () => {
  it('an older snapshot of meta/node: writes acknowledged at W=2 afterwards reach the peers', async () => {
    expect(await rolledBackRun((old) => old)).toEqual([])
  })

  it('a meta/node reset to zero (ownSeq 0, empty dot cloud): the writes still reach the peers', async () => {
    expect(await rolledBackRun(() => ({ clock: 0, ownSeq: 0, dots: {} }))).toEqual([])
  })
})

describe('garbage node metadata fails the open with STORAGE_CORRUPT', () => {
  it.each([
    ['a string', 'garbage', /not an object/],
    ['a negative ownSeq', { clock: 3, ownSeq: -4, dots: {} }, /ownSeq -4/],
    ['a fractional ownSeq', { clock: 3, ownSeq: 2.5, dots: {} }, /ownSeq 2.5/],
    ['a missing clock', { ownSeq: 2, dots: {} }, /clock missing/],
    ['dots that are not an object', { clock: 3, ownSeq: 2, dots: 7 }, /dot cloud/],
    [
      'a dot watermark that is a string',
      { clock: 3, ownSeq: 2, dots: { node_1: { max: 'x', extra: [] } } },
      /node_1/,
    ],
    [
      'dot ranges out of order',
      {
        clock: 3,
        ownSeq: 2,
        dots: {
          node_1: {
            max: 1,
            extra: [
              [9, 12],
              [5, 6],
            ],
          },
        },
      },
      /out of order/,
    ],
  ])('%s', async (_name, value, message) => {
    const c = await createSimCluster({ numNodes: 2, seed: 12 })
    await c.put(0, 'k', 'v')
    await c.settle()
    await c.kill(0)
    await c.disk(0).commit([{ type: 'put', store: 'meta', key: 'node', value }])
    const err = await c.restart(0).then(
      () => null,
      (e: unknown) => e,
    )
    expect(isDbError(err) && err.code).toBe('STORAGE_CORRUPT')
    expect((err as Error).message).toMatch(/meta\/node/)
    expect((err as Error).message).toMatch(message)
  })
})

describe('garbage replication-log and hint records fail the open with STORAGE_CORRUPT', () => {
  const op = {
    id: 'node_0:1',
    origin: 'node_0',
    seq: 1,
    key: 'k',
    value: 'v',
    tombstone: false,
    version: { ts: 1, node: 'node_0' },
    writtenAtMs: 0,
  }
  it.each([
    ['replog', 5, 'garbage', /replication-log record 5: value is "garbage"/],
    ['replog', 5, [{ logSeq: 1, op: { ...op, value: 42 }, pending: ['node_1'] }], /value is 42/],
    ['replog', 5, [{ logSeq: 1, op: { ...op, version: undefined }, pending: ['node_1'] }], /version/],
    ['replog', 5, [{ logSeq: 1, op, pending: 'node_1' }], /pending/],
    ['hints', 'node_1|node_0:1', 17, /hint node_1\|node_0:1: value is 17/],
    [
      'hints',
      'node_1|node_0:1',
      { hintedFor: 'node_1', op: { ...op, key: undefined }, bytes: 1, storedAtMs: 0 },
      /no key/,
    ],
  ] as const)('%s record %s = %j', async (store, key, value, message) => {
    const c = await createSimCluster({ numNodes: 2, seed: 13 })
    await c.kill(0)
    await c.disk(0).commit([{ type: 'put', store, key, value }])
    const err = await c.restart(0).then(
      () => null,
      (e: unknown) => e,
    )
    expect(isDbError(err) && err.code).toBe('STORAGE_CORRUPT')
    expect((err as Error).message).toMatch(message)
  })
})

describe('a malformed dot cloud from a peer', () => {
  it('a fetch-updates whose dot cloud is garbage is ignored, not thrown into the host', async () => {
    const c = await createSimCluster({ numNodes: 2, seed: 14 })
    const node = c.liveNode(0)
    expect(() =>
      node.receive({
        v: PROTOCOL_VERSION,
        from: 'node_1' as NodeId,
        type: 'fetch-updates',
        seen: 'garbage' as never,
      }),
    ).not.toThrow()
    await c.put(0, 'k', 'v')
    expect(await c.get(1, 'k', { level: 'ONE' })).toBe('v')
  })
})

describe('the seqs a node skips on open', () => {
  it.each([
    ['all-to-all', undefined],
    ['a ring', { 0: [1], 1: [2], 2: [0] }],
  ])('%s: peers mark them seen, so their watermark for the node reaches its ownSeq', async (_n, topology) => {
    const c = await createSimCluster({ numNodes: 3, seed: 15, topology, consistency: 'ONE' })
    await c.put(0, 'a', '1')
    await c.settle()
    await c.kill(0)
    await c.runFor(2000)
    await c.restart(0)
    for (let i = 0; i < 5; i++) await c.put(0, `b${i}`, '2')
    await c.settle()
    const own = (await c.inspect(0)).ownSeq as number
    expect(own).toBeGreaterThan(2000 * 1000)
    const seen = []
    for (const i of [0, 1, 2]) seen.push((await c.inspect(i)).lastSeen)
    expect(seen).toEqual([0, 1, 2].map(() => expect.objectContaining({ node_0: own })))
  })
})
