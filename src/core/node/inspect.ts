/** Plain-JSON views of a node's state: a cheap snapshot for the dashboard, a full one for inspect(). */
import { inspectAntiEntropy } from '../antiEntropy/install'
import {
  type DiskFaultStats,
  type DiskFaults,
  type DiskIo,
  FaultyDisk,
  noDiskFaults,
} from '../disk/faultyDisk'
import { dbError } from '../errors'
import type { NodeId } from '../ids'
import type { PeerView } from '../replication/failureDetector'
import type { DbNode } from './dbNode'
import { recordRow } from './rows'

/** A node's own numbers for the dashboard (the host adds id, status, skew and warnings). */
export interface NodeSnapshotCore {
  clock: number
  lastSeen: Record<string, number>
  keyCount: number
  memtableBytes: number
  tablesPerLevel: number[]
  hintsHeld: number
  hintBytes: number
  hintsByTarget: Record<string, number>
  replogByPeer: Record<string, number>
  peerViews: Record<string, PeerView>
  /** Injected storage faults and their counters since the node started (absent: none ever set). */
  diskFaults?: { faults: DiskFaults; stats: DiskFaultStats }
  /** Read cache figures when the node has one (cacheSize > 0). */
  cache?: { hits: number; misses: number; size: number; capacity: number }
  /** 'vector' and 'crdt' clusters: keys with siblings, CRDT keys (written since the node started). */
  siblingKeys?: number
  crdtKeys?: number
  /**
   * The adaptive batching windows now (ms; 0 = leaving at once) and their bound, with counters:
   * group commits per write and replicate messages per item sent since the node started.
   */
  batching?: {
    commitWindowMs: number
    sendWindowMs: number
    windowMsMax: number
    commits: number
    writes: number
    replicateMessages: number
    replicateItems: number
  }
}

/** The node's injected disk faults, when its disk takes them and any is set or has fired. */
function diskFaultsOf(node: DbNode): NodeSnapshotCore['diskFaults'] {
  const d = node.env.disk
  if (!(d instanceof FaultyDisk)) return undefined
  const f = d.current
  const st = d.stats
  if (noDiskFaults(f) && st.failedCommits + st.quotaRefusals + st.tornTails + st.delayedCommits === 0)
    return undefined
  return { faults: f, stats: { ...st } }
}

function copyIo(io: DiskIo): DiskIo {
  return { ...io, gets: { ...io.gets }, rangeReads: { ...io.rangeReads }, puts: { ...io.puts } }
}

/** Cheap per-frame numbers for the canvas. */
export function nodeSnapshot(node: DbNode): NodeSnapshotCore {
  const storage = node.engine.inspect()
  return {
    clock: node.clock.time,
    lastSeen: node.dots.watermarks(),
    keyCount: storage.keyCountEstimate,
    memtableBytes: storage.memtable.bytes,
    tablesPerLevel: storage.levels.map((l) => l.tables.length),
    hintsHeld: node.hints.count,
    hintBytes: node.hints.bytes,
    hintsByTarget: node.hints.countByTarget(),
    replogByPeer: node.replog.backlogByPeer(),
    peerViews: node.fd.views(),
    diskFaults: diskFaultsOf(node),
    batching: batchingOf(node),
    ...cacheFigures(node),
    ...node.keyStats.snapshot(),
  }
}

function batchingOf(node: DbNode): NodeSnapshotCore['batching'] {
  const o = node.outbox
  const g = node.groups
  return {
    commitWindowMs: g.batching?.window.windowMs() ?? 0,
    sendWindowMs: o.window.windowMs(),
    windowMsMax: node.config.batchWindowMsMax ?? 0,
    commits: g.commits,
    writes: g.rowParts,
    replicateMessages: o.messagesSent,
    replicateItems: o.itemsSent,
  }
}

function cacheFigures(node: DbNode): Pick<NodeSnapshotCore, 'cache'> {
  const c = node.queries?.cache
  return c ? { cache: { hits: c.hits, misses: c.misses, size: c.stats().size, capacity: c.capacity } } : {}
}

export const SCAN_LIMIT_MAX = 1000

/** A page of the rows a node holds, in key order (the data browser). */
export async function scanNode(
  node: DbNode,
  opts: { start?: string; limit?: number } = {},
): Promise<{
  rows: Array<{ key: string; value: string | null; version: { ts: number; node: NodeId } }>
  next: string | null
}> {
  const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 100)), SCAN_LIMIT_MAX)
  if (opts.start !== undefined && typeof opts.start !== 'string')
    throw dbError('BAD_INPUT', 'scan start must be a string key')
  const rows = await node.engine.scan({ start: opts.start, limit: limit + 1 })
  const page = rows.slice(0, limit).map((r) => {
    const row = recordRow(r.key, r.record)
    return { key: r.key, value: row.value, version: row.version }
  })
  return { rows: page, next: rows.length > limit ? rows[limit].key : null }
}

/** Everything `cluster.inspect(id)` shows: clock, version vector, log, peers, hints, storage, stats. */
export function inspectNode(node: DbNode): Record<string, unknown> {
  const storage = node.engine.inspect()
  return {
    clock: node.clock.time,
    ownSeq: node.ownSeq,
    lastSeen: node.dots.watermarks(),
    dots: node.dots.toJson(),
    replog: {
      size: node.replog.size,
      byPeer: node.replog.backlogByPeer(),
      head: node.replog.head(20).map((e) => ({ opId: e.op.id, key: e.op.key, pending: e.pending })),
    },
    peers: node.fd.views(),
    hints: node.hints.list(),
    ring: { version: node.ring.version, tokens: node.ring.vnodes.length },
    storage,
    /** The adaptive batching windows (ms) and the commits/messages they saved. */
    batching: batchingOf(node),
    stats: { ...node.stats },
    merkle: inspectAntiEntropy(node),
    diskFaults: diskFaultsOf(node) ?? null,
    /** What this incarnation asked of its disk: reads (point, range), commits, puts per store. */
    diskIo: node.env.disk instanceof FaultyDisk ? copyIo(node.env.disk.io) : null,
    /** Secondary index (fields, keys, terms, unindexable values) and read cache (hits, misses). */
    queries: node.queries?.stats() ?? { index: null, cache: null },
    /**
     * The conflict mode: who signs this node's merging writes (its actor, epoch), siblings merged
     * away past siblingsMax, the keys holding siblings and each CRDT key's state here.
     */
    conflict: {
      mode: node.conflict.name,
      actor: node.actor,
      epoch: node.epoch,
      siblingsMerged: node.stats.siblingsMerged,
      ...(node.keyStats.inspect() ?? {}),
    },
  }
}
