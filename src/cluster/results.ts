/** Shapes shared by both runtimes: the client-facing read result and an empty node snapshot. */
import type { NodeId } from '../core/ids'
import type { ReadOutcome } from '../core/node/coordinator'
import type { NodeSnapshot, NodeStatus, ReadResult } from './types'

/** A coordinator's read outcome as the Cluster API returns it (without the latency). */
export function toReadResult(out: ReadOutcome): Omit<ReadResult, 'latencyMs'> {
  const row = out.row
  return {
    key: out.key,
    value: row && !row.tombstone ? row.value : null,
    version: row?.version ?? null,
    siblings: row ? [{ value: row.tombstone ? null : row.value, version: row.version }] : [],
    replies: out.replies,
    repaired: out.repaired,
  }
}

/** What the dashboard shows for a node that reports nothing (down, or not started yet). */
export function emptySnapshot(id: NodeId, status: NodeStatus, clockSkewMs: number): NodeSnapshot {
  return {
    id,
    status,
    clock: 0,
    lastSeen: {},
    keyCount: 0,
    memtableBytes: 0,
    tablesPerLevel: [],
    hintsHeld: 0,
    hintBytes: 0,
    hintsByTarget: {},
    replogByPeer: {},
    peerViews: {},
    clockSkewMs,
  }
}
