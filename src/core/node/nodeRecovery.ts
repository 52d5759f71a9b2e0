/**
 * Opening a node from its disk: the storage engine, the node metadata (clock, own seq, dots,
 * epoch), the replication log and hints, and the group-commit pipeline that keeps that metadata
 * durable with every commit. Recovery never trusts the stored own seq alone (see resumeSeq).
 */

import { AdaptiveWindow } from '../batching/adaptiveWindow'
import type { ConflictMode } from '../conflict'
import { actorId } from '../conflict/actor'
import type { DiskOp } from '../disk/disk'
import type { NodeEnv } from '../env'
import type { NodeId } from '../ids'
import type { Message } from '../protocol/messages'
import type { DotCloud } from '../replication/dotCloud'
import { LamportClock } from '../replication/lamportClock'
import { ReplicationLog } from '../replication/replicationLog'
import type { KeyedRecord, StorageEngine } from '../storage/engine'
import type { CorruptionRepair } from './corruptionRepair'
import { HintStore } from './hints'
import type { KeyStats } from './keyStats'
import type { NodeConfig } from './nodeConfig'
import {
  FLUSHED_META_KEY,
  freshEpoch,
  type LoadedNodeMeta,
  META_KEY,
  mergeNodeMetas,
  type NodeMeta,
  nodeMetaRecord,
  parseNodeMeta,
  resumeSeq,
} from './nodeMeta'
import type { RowVersions } from './rowVersions'
import { WriteGroups } from './writeGroups'

/** What recovery reads of a node and the state it sets (DbNode has it all). */
export interface RecoveringNode {
  readonly id: NodeId
  readonly env: NodeEnv<Message>
  readonly config: NodeConfig
  readonly engine: StorageEngine
  readonly conflict: Pick<ConflictMode, 'name'>
  readonly corruption: Pick<CorruptionRepair, 'onCorrupt' | 'afterOpen'>
  readonly versions: Pick<RowVersions, 'failed' | 'durable'>
  readonly keyStats: Pick<KeyStats, 'note'>
  readonly stats: { commits: number }
  readonly onRowsDurable: ReadonlyArray<(records: readonly KeyedRecord[]) => void>
  clock: LamportClock
  ownSeq: number
  epoch: number
  actor: string
  seqGap: { from: number; to: number } | null
  dots: DotCloud
  replog: ReplicationLog
  hints: HintStore
  groups: WriteGroups
}

/** The node metadata record as a group commit writes it (`dots`: the cloud after the commit). */
export function metaRecordOf(node: RecoveringNode, dots: DotCloud = node.dots): NodeMeta {
  return nodeMetaRecord(liveMeta(node, dots))
}

/** The node's metadata now, as a snapshot (`dots`: the cloud to record). */
function liveMeta(node: RecoveringNode, dots: DotCloud = node.dots): LoadedNodeMeta {
  return { clock: node.clock.time, ownSeq: node.ownSeq, dots, epoch: node.epoch }
}

/** A snapshot carried in a WAL record (StorageEngine.write's attachment), checked. */
const parseAttachment = (raw: unknown): LoadedNodeMeta => parseNodeMeta(raw, 'a WAL attachment')

/**
 * Opens the engine and restores the node's state from disk. `initial`: the cluster's first boot of
 * this node (an empty disk then keeps epoch 0; see OpenOptions).
 */
export async function recoverNode(node: RecoveringNode, initial: boolean | undefined): Promise<void> {
  const { env, engine } = node
  engine.setCorruptionHook((c) => node.corruption.onCorrupt(c))
  // The snapshots outside the WAL are read first: a flush may start while the engine opens, and the
  // snapshot it stores must cover the WAL records it drops (their attachments) and what was stored.
  const stored = [
    parseNodeMeta(await env.disk.get('meta', META_KEY)),
    parseNodeMeta(await env.disk.get('meta', FLUSHED_META_KEY), `meta/${FLUSHED_META_KEY}`),
  ]
  let restored = false
  engine.setFlushHook((dropped) => {
    const parts = [restored ? liveMeta(node) : mergeNodeMetas(stored)]
    if (dropped !== undefined) parts.push(parseAttachment(dropped))
    const value = nodeMetaRecord(mergeNodeMetas(parts))
    return [{ type: 'put', store: 'meta', key: FLUSHED_META_KEY, value }]
  })
  const { attachments } = await engine.open()
  node.corruption.afterOpen()
  const meta = mergeNodeMetas([...stored, ...attachments.map(parseAttachment)])
  node.clock = new LamportClock(meta.clock, node.config.timestampSource, () => env.clock.nowMs())
  node.dots = meta.dots
  node.replog = ReplicationLog.fromDisk(await env.disk.getRange('replog'))
  node.hints = HintStore.fromDisk(await env.disk.getRange('hints'))
  // Never trust the stored ownSeq alone: a rolled-back or lost record would reuse seqs peers saw.
  const own = node.id
  const onDisk = Math.max(
    meta.ownSeq,
    node.dots.highest(own),
    node.replog.highestSeqOf(own),
    node.hints.highestSeqOf(own),
  )
  node.ownSeq = resumeSeq(onDisk, env.clock.nowMs())
  node.seqGap = node.ownSeq > onDisk ? { from: onDisk + 1, to: node.ownSeq } : null
  if (node.seqGap) node.dots.addRange(own, node.seqGap.from, node.seqGap.to)
  // An empty disk after the first boot: the old incarnation's dots may live on in peers, and the
  // empty state no longer covers them, so this one signs with a new actor (persisted right away,
  // so a kill before the first commit cannot fall back to an actor that already signed).
  const fresh = meta.epoch === null && !initial && node.conflict.name !== 'lww'
  node.epoch = fresh ? freshEpoch(env.clock.nowMs(), env.random) : (meta.epoch ?? 0)
  node.actor = actorId(node.id, node.epoch)
  if (fresh) await env.disk.commit([{ type: 'put', store: 'meta', key: META_KEY, value: metaRecordOf(node) }])
  const windowMsMax = (): number => node.config.batchWindowMsMax ?? 0
  node.groups = new WriteGroups(
    engine,
    {
      extraFor: (dots, logEntries, withRows) => {
        const snapshot = node.dots.clone()
        for (const d of dots) snapshot.add(d.origin as NodeId, d.seq)
        const meta = metaRecordOf(node, snapshot)
        // With rows the snapshot rides inside their WAL record: one put fewer per commit (a put is
        // ~0.25 ms of CPU across the browser's threads; ARCHITECTURE.md). Recovery merges it back.
        const ops: DiskOp[] = withRows ? [] : [{ type: 'put', store: 'meta', key: META_KEY, value: meta }]
        if (logEntries.length > 0) ops.push(node.replog.persist(logEntries))
        return withRows ? { ops, attach: meta } : { ops }
      },
      onFailed: (logEntries, records) => {
        node.replog.forget(logEntries)
        // The versions those rows would have written are not this node's: a resend must apply.
        node.versions.failed(records)
      },
      onDurable: (dots, records, logEntries) => {
        node.stats.commits++
        node.replog.markDurable(logEntries)
        for (const d of dots) node.dots.add(d.origin as NodeId, d.seq)
        node.versions.durable(records)
        node.keyStats.note(records)
        for (const h of node.onRowsDurable) h(records)
      },
    },
    { window: new AdaptiveWindow(env.clock, windowMsMax), timers: env.timers },
  )
  restored = true
}
