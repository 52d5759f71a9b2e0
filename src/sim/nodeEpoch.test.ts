/**
 * Node epochs: a node rebuilt empty signs its merging writes with a new actor id, so a write it
 * coordinates before its peers refill it never re-signs a dot (vector) or a counter entry (CRDT) its
 * earlier incarnation signed, and no acknowledged write is silently merged away.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { ReadResult } from '../cluster/types'
import { SimCluster } from './simCluster'

const values = (r: ReadResult) => r.siblings.map((s) => s.value).sort()

describe('a rebuilt node takes a new epoch', () => {
  it('vector: a write on a node rebuilt empty and cut off keeps its sibling beside the old one', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 11,
      consistencyMode: 'vector',
      antiEntropyIntervalMs: 0,
    })
    await c.put(0, 'cart', 'milk', { level: 'ALL' }) // dot (node_0, 1) on every replica
    if (!(c instanceof SimCluster)) throw new Error('sim cluster expected')
    await c.rebuildNode(0)
    c.partition([['node_0'], ['node_1', 'node_2']]) // nothing refills node_0 before it writes
    await c.put(0, 'cart', 'eggs', { level: 'ONE' })
    c.heal()
    await c.settle()
    const r = await c.read(1, 'cart', { level: 'ALL' })
    expect(values(r)).toEqual(['eggs', 'milk'])
    const eggs = r.siblings.find((s) => s.value === 'eggs')!
    expect(eggs.node).toBe('node_0') // the writer is the node; the actor in the vector is new
    expect(Object.keys(eggs.vector ?? {})).toEqual([c.liveNode(0).actor])
    expect(c.liveNode(0).actor).toMatch(/^node_0\.[0-9a-z]+$/)
    for (const i of [0, 1, 2])
      expect(values(await c.read(i, 'cart', { level: 'ONE' }))).toEqual(['eggs', 'milk'])
  })

  it('crdt: a G-Counter increment on a rebuilt node is counted beside the old incarnation’s', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 12,
      consistencyMode: 'crdt',
      crdtConfig: { likes: 'gcounter' },
      antiEntropyIntervalMs: 0,
    })
    await c.applyCrdt(0, 'likes', { inc: 1 }, { level: 'ALL' })
    if (!(c instanceof SimCluster)) throw new Error('sim cluster expected')
    await c.rebuildNode(0)
    c.partition([['node_0'], ['node_1', 'node_2']])
    await c.applyCrdt(0, 'likes', { inc: 1 }, { level: 'ONE' })
    c.heal()
    await c.settle()
    for (const i of [0, 1, 2]) expect((await c.read(i, 'likes', { level: 'ALL' })).crdt?.value).toBe(2)
  })

  it('the epoch is kept across a plain restart and the first boot keeps the plain node id', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 13, consistencyMode: 'vector' })
    if (!(c instanceof SimCluster)) throw new Error('sim cluster expected')
    expect(c.liveNode(1).actor).toBe('node_1')
    await c.rebuildNode(1)
    const actor = c.liveNode(1).actor
    expect(actor).not.toBe('node_1')
    await c.kill(1) // before any write: the epoch was persisted when it opened
    await c.restart(1)
    expect(c.liveNode(1).actor).toBe(actor)
    await c.put(1, 'k', 'v')
    await c.kill(1)
    await c.restart(1)
    expect(c.liveNode(1).actor).toBe(actor)
    await c.rebuildNode(1)
    expect(c.liveNode(1).actor).not.toBe(actor)
  })

  it('lww clusters keep the plain node id (their writes carry no dots)', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 14 })
    if (!(c instanceof SimCluster)) throw new Error('sim cluster expected')
    await c.rebuildNode(2)
    expect(c.liveNode(2).actor).toBe('node_2')
  })
})
