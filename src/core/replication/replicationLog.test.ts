import { describe, expect, it } from 'vitest'
import { type NodeId, opId } from '../ids'
import { DotCloud } from './dotCloud'
import { ReplicationLog } from './replicationLog'
import type { Op } from './version'

const A = 'node_0' as NodeId
const B = 'node_1' as NodeId
const C = 'node_2' as NodeId
const op = (seq: number): Op => ({
  id: opId(A, seq),
  origin: A,
  seq,
  key: `k${seq}`,
  value: 'v',
  tombstone: false,
  version: { ts: seq, node: A },
  writtenAtMs: 0,
})

describe('ReplicationLog', () => {
  it('prunes an entry only when every target peer acknowledged it', () => {
    const log = new ReplicationLog()
    log.append(op(1), [B, C])
    expect(log.ack(B, [opId(A, 1)]).pruned).toHaveLength(0)
    expect(log.pendingFor(C, 10)).toHaveLength(1)
    expect(log.pendingFor(B, 10)).toHaveLength(0)
    const { pruned, diskOps } = log.ack(C, [opId(A, 1)])
    expect(pruned).toHaveLength(1)
    expect(diskOps[0]).toMatchObject({ type: 'delete', store: 'replog' })
    expect(log.size).toBe(0)
  })

  it('answers pull sync with only what the peer has not seen', () => {
    const log = new ReplicationLog()
    log.append(op(1), [B])
    log.append(op(2), [B])
    const seen = new DotCloud()
    seen.add(A, 2)
    expect(log.missingFor(B, seen, 10).map((o) => o.seq)).toEqual([1])
  })

  it('reloads from its persisted entries', () => {
    const log = new ReplicationLog()
    const put = log.append(op(1), [B])!
    const again = ReplicationLog.fromDisk([
      { key: 1, value: structuredClone((put as { value: unknown }).value) },
    ])
    expect(again.pendingFor(B, 10).map((o) => o.seq)).toEqual([1])
    expect(again.backlogByPeer()).toEqual({ [B]: 1 })
  })
})
