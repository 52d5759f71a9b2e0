/** Plain-JSON views of a node's state: a cheap snapshot for the dashboard, a full one for inspect(). */
import { inspectAntiEntropy } from '../antiEntropy/install'
import type { DbNode } from './dbNode'

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
  peerViews: Record<string, 'up' | 'suspect' | 'down'>
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
  }
}

/** Everything `cluster.inspect(id)` shows: clock, version vector, log, peers, hints, storage, stats. */
export function inspectNode(node: DbNode): Record<string, unknown> {
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
    storage: node.engine.inspect(),
    stats: { ...node.stats },
    merkle: inspectAntiEntropy(node),
  }
}
