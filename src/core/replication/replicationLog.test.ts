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
    const e1 = log.append(op(1), [B, C])!
    log.persist([e1])
    log.markDurable([e1])
    expect(log.ack(B, [opId(A, 1)]).pruned).toHaveLength(0)
    expect(log.pendingFor(C, 10)).toHaveLength(1)
    expect(log.pendingFor(B, 10)).toHaveLength(0)
    const { pruned, diskOps } = log.ack(C, [opId(A, 1)])
    expect(pruned).toHaveLength(1)
    expect(diskOps).toEqual([{ type: 'delete', store: 'replog', key: 1 }])
    expect(log.size).toBe(0)
  })

  it('a group persists as one record, deleted only when its last entry is pruned', () => {
    const log = new ReplicationLog()
    const put = log.persist([log.append(op(1), [B])!, log.append(op(2), [B])!])
    expect(put).toMatchObject({ type: 'put', store: 'replog', key: 1 })
    expect(log.ack(B, [opId(A, 1)]).diskOps).toEqual([])
    expect(log.ack(B, [opId(A, 2)]).diskOps).toEqual([{ type: 'delete', store: 'replog', key: 1 }])
  })

  it('answers pull sync with only what the peer has not seen', () => {
    const log = new ReplicationLog()
    log.markDurable([log.append(op(1), [B])!, log.append(op(2), [B])!])
    const seen = new DotCloud()
    seen.add(A, 2)
    expect(log.missingFor(B, seen, 10).map((o) => o.seq)).toEqual([1])
  })

  it('reloads from its persisted records', () => {
    const log = new ReplicationLog()
    const put = log.persist([log.append(op(1), [B])!, log.append(op(2), [B, C])!]) as {
      key: number
      value: unknown
    }
    const again = ReplicationLog.fromDisk([{ key: put.key, value: structuredClone(put.value) }])
    expect(again.pendingFor(B, 10).map((o) => o.seq)).toEqual([1, 2])
    expect(again.backlogByPeer()).toEqual({ [B]: 2, [C]: 1 })
    again.ack(B, [opId(A, 1), opId(A, 2)])
    expect(again.ack(C, [opId(A, 2)]).diskOps).toEqual([{ type: 'delete', store: 'replog', key: put.key }])
  })

  it('forgets entries whose commit failed, and never resends what is still in flight', () => {
    const log = new ReplicationLog()
    const e = log.append(op(1), [B])!
    log.forget([e])
    expect(log.size).toBe(0)
    const e2 = log.append(op(2), [B])!
    expect(log.dueFor(B, 1000, 10)).toEqual([]) // not durable yet: never sent
    log.markDurable([e2])
    log.markSent([opId(A, 2)], B, 100)
    expect(log.dueFor(B, 50, 10)).toEqual([])
    expect(log.dueFor(B, 100, 10).map((o) => o.seq)).toEqual([2])
  })
})
