/**
 * A node whose storage block is corrupted on disk (a value rewritten to a number): reads at ONE fail
 * over to another replica instead of serving it, and the node recovers the rows from its peers.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { Disk } from '../core/disk/disk'
import type { SimCluster } from './simCluster'

const KEYS = Array.from({ length: 40 }, (_, i) => `key${String(i).padStart(3, '0')}`)

async function loaded(seed: number): Promise<SimCluster> {
  const c = (await createSimCluster({ numNodes: 3, seed, antiEntropyIntervalMs: 0 })) as SimCluster
  for (const k of KEYS) await c.put(1, k, `value of ${k}`)
  await c.settle()
  await c.drive(c.liveNode(0).engine.flush())
  return c
}

/** Rewrites every value of node 0's first table block to 42 (the checksum is left as it was). */
async function corruptFirstBlock(disk: Disk): Promise<string[]> {
  const [first] = (await disk.getRange('sst')).filter((e) => typeof e.key === 'number')
  const block = first.value as { keys: string[]; values: unknown[] }
  await disk.commit([
    { type: 'put', store: 'sst', key: first.key, value: { ...block, values: block.values.map(() => 42) } },
  ])
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

  it('found on open (by the index scan): the node recovers the rows from its peers', async () => {
    const c = await loaded(22)
    await c.kill(0)
    const keys = await corruptFirstBlock(c.disk(0))
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
