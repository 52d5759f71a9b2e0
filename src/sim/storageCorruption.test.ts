/**
 * A node whose storage block is corrupted on disk (a value rewritten to a number): reads at ONE fail
 * over to another replica instead of serving it, and the node recovers the rows from its peers.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { Disk } from '../core/disk/disk'
import { isDbError } from '../core/errors'
import type { SimCluster } from './simCluster'

const KEYS = Array.from({ length: 40 }, (_, i) => `key${String(i).padStart(3, '0')}`)

async function loaded(seed: number): Promise<SimCluster> {
  const c = (await createSimCluster({ numNodes: 3, seed, antiEntropyIntervalMs: 0 })) as SimCluster
  for (const k of KEYS) await c.put(1, k, `value of ${k}`)
  await c.settle()
  await c.drive(c.liveNode(0).engine.flush())
  return c
}

type Block = { keys: string[]; values: unknown[] }
const valuesTo42 = (b: Block): unknown => ({ ...b, values: b.values.map(() => 42) })

/** Rewrites node 0's first table block (by default every value to 42, the checksum left as it was). */
async function corruptFirstBlock(disk: Disk, rewrite: (b: Block) => unknown = valuesTo42): Promise<string[]> {
  const [first] = (await disk.getRange('sst')).filter((e) => typeof e.key === 'number')
  const block = first.value as Block
  await disk.commit([{ type: 'put', store: 'sst', key: first.key, value: rewrite(block) }])
  return block.keys
}

describe('a corrupt storage block', () => {
  it('is never served: a read at ONE coordinated by the corrupt node fails over to a replica', async () => {
    const c = await loaded(21)
    const keys = await corruptFirstBlock(c.disk(0))
    const answers = []
    for (const k of keys) answers.push(await c.get(0, k, { level: 'ONE' }))
    expect(answers).toEqual(keys.map((k) => `value of ${k}`))
    const ins = await c.inspect(0)
    expect((ins.stats as { corruptBlocks: number }).corruptBlocks).toBe(1)
    expect((ins.storage as { corruption: { blocksFound: number } }).corruption.blocksFound).toBe(1)
  })

  it.each([
    ['values rewritten to a number', valuesTo42],
    ['the block replaced by a string', () => 'garbage'],
  ])('found on open (%s): the node opens and recovers the rows from its peers', async (_name, rewrite) => {
    const c = await loaded(22)
    await c.kill(0)
    const keys = await corruptFirstBlock(c.disk(0), rewrite)
    await c.restart(0)
    // While recovering, reads coordinated elsewhere and at node 0 are still right.
    expect(await c.get(0, keys[0], { level: 'ONE' })).toBe(`value of ${keys[0]}`)
    await c.runFor(5000)
    await c.settle()
    const node = c.liveNode(0)
    expect(node.corruption.pending).toBe(0)
    for (const k of keys) expect((await c.drive(node.localRow(k)))?.value).toBe(`value of ${k}`)
  })
})

describe('a garbage WAL record', () => {
  it('in the middle of the WAL fails the open STORAGE_CORRUPT (not a TypeError as STORAGE_UNAVAILABLE)', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 23 })
    for (let i = 0; i < 3; i++) await c.put(0, `w${i}`, `v${i}`)
    await c.settle()
    await c.kill(0)
    const wal = await c.disk(0).getRange('wal')
    expect(wal.length).toBeGreaterThanOrEqual(3)
    await c.disk(0).commit([{ type: 'put', store: 'wal', key: wal[1].key, value: 'garbage' }])
    const err = await c.restart(0).then(
      () => null,
      (e: unknown) => e,
    )
    expect(isDbError(err) && err.code).toBe('STORAGE_CORRUPT')
    expect((err as Error).message).toMatch(/WAL record/)
  })
})
