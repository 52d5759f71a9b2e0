import { describe, expect, it } from 'vitest'
import type { LiveOp } from '../core/checker/incremental'
import { WorkloadIntake } from './recordWorkload'

describe('WorkloadIntake (node-side workload ops into the live history)', () => {
  it('pairs an invoke with a completion from a later batch; each op is its own process', () => {
    const got: LiveOp[] = []
    let p = 0
    const w = new WorkloadIntake({
      process: () => ++p,
      nameWrite: (_k, v) => `${v}!`,
      nameRead: (_k, v) => (v === null ? null : `${v}!`),
      ops: (b) => got.push(...b),
    })
    w.add({
      tag: 'n1.a',
      sampleEvery: 2,
      skipped: 3,
      dropped: 0,
      records: [
        { id: 1, f: 'write', key: 'k', node: 'node_1', level: 'ONE', startMs: 10, value: 'v' },
        { id: 2, f: 'read', key: 'k', node: 'node_1', startMs: 11, endMs: 13, outcome: 'ok', value: 'v' },
      ],
    })
    w.add({
      tag: 'n1.a',
      sampleEvery: 2,
      skipped: 0,
      dropped: 0,
      records: [
        { id: 1, f: 'write', key: 'k', node: 'node_1', endMs: 15, outcome: 'ok', opId: 'node_1:9' },
        // A completion whose invoke was never seen (a batch lost): left out, not invented.
        { id: 7, f: 'read', key: 'k', node: 'node_1', endMs: 15, outcome: 'ok', value: 'v' },
      ],
    })
    expect(got.map((o) => [o.process, o.type, o.f, o.value, o.time])).toEqual([
      [1, 'invoke', 'write', 'v!', 10],
      [2, 'invoke', 'read', null, 11],
      [2, 'ok', 'read', 'v!', 13],
      [1, 'ok', 'write', 'v!', 15],
    ])
    expect(got[0].ctx).toEqual({ node: 'node_1', source: 'workload', level: 'ONE' })
    expect(got[3].ctx).toEqual({ opId: 'node_1:9' })
    expect(w.counts).toEqual({ recorded: 2, skipped: 3, dropped: 0, sampleEvery: 2 })
  })
})
