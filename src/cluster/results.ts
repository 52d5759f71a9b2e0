/** Shapes shared by both runtimes: the client-facing read result and an empty node snapshot. */

import type { ReadView, WriteIntent } from '../core/conflict/types'
import type { NodeId } from '../core/ids'
import type { ReadOutcome } from '../core/node/coordinator'
import { compareVersions } from '../core/replication/version'
import type { NodeSnapshot, NodeStatus, ReadResult, WriteOptions } from './types'

/** A coordinator's read outcome as the Cluster API returns it (without the latency). */
export function toReadResult(out: ReadOutcome): Omit<ReadResult, 'latencyMs'> {
  const row = out.row
  if (out.view) return viewResult(out, out.view)
  return {
    key: out.key,
    value: row && !row.tombstone ? row.value : null,
    version: row?.version ?? null,
    siblings: row ? [{ value: row.tombstone ? null : row.value, version: row.version }] : [],
    replies: out.replies,
    repaired: out.repaired,
  }
}

/** A merging key's read: its siblings and context (vector), or its CRDT value. */
function viewResult(out: ReadOutcome, view: ReadView): Omit<ReadResult, 'latencyMs'> {
  const base = {
    key: out.key,
    version: out.row?.version ?? null,
    replies: out.replies,
    repaired: out.repaired,
  }
  if (view.kind === 'crdt') {
    const value = view.value === null ? null : JSON.stringify(view.value)
    return { ...base, value, siblings: [], crdt: { type: view.type, value: view.value, state: view.state } }
  }
  const siblings = view.siblings.map((s) => ({
    value: s.value,
    version: { ts: s.ts, node: s.node as NodeId },
    vector: s.vector,
    node: s.node as NodeId,
  }))
  let newest: (typeof siblings)[number] | null = null
  for (const s of siblings) if (!newest || compareVersions(s.version, newest.version) > 0) newest = s
  return { ...base, value: newest?.value ?? null, siblings, context: view.context }
}

/** What a write carries besides its value (a context, a CRDT op), for the node; undefined if nothing. */
export function writeIntentOf(opts: WriteOptions): WriteIntent | undefined {
  if (opts.context === undefined && opts.crdt === undefined) return undefined
  const intent: WriteIntent = {}
  if (opts.context !== undefined) intent.context = opts.context
  if (opts.crdt !== undefined) intent.crdt = opts.crdt
  return intent
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
