/**
 * The replication stream of one node: pushing log entries to peers (once when new, then only copies
 * older than the peer's resend age), pull sync (FetchUpdates), and pruning by acknowledgements.
 */

import { toErrorData } from '../errors'
import type { NodeId, OpId } from '../ids'
import type { Message, MessageBody, ReplicateItem } from '../protocol/messages'
import { DotCloud } from '../replication/dotCloud'
import { compareVersions, type Version } from '../replication/version'
import { applyBatch } from './applyOps'
import type { DbNode } from './dbNode'
import { recordVersion } from './rows'

export class ReplicationStream {
  private resendBackoffMs = new Map<NodeId, number>()

  constructor(private readonly node: DbNode) {}

  /** Forgets a peer's backoff (it answered, or came back up). */
  resetBackoff(peer: NodeId): void {
    this.resendBackoffMs.delete(peer)
  }

  /** A peer acknowledged ops: prune the log entries nobody else waits for. */
  onReplicateAck(from: NodeId, ids: readonly OpId[]): void {
    if (ids.length === 0) return
    this.resendBackoffMs.delete(from)
    const { pruned, diskOps } = this.node.replog.ack(from, ids)
    if (pruned.length > 0) {
      this.node.stats.pruned += pruned.length
      this.node.groups.addLazy(diskOps)
      this.node.emit({ type: 'log-prune', peer: from, detail: `${pruned.length} ops` })
    }
  }

  /** Builds a replicate message for a peer from its pending ops (with a skip range for own ops). */
  replicateBody(peer: NodeId, items: ReplicateItem[], reqId?: number): MessageBody {
    const body: MessageBody = { type: 'replicate', items, reqId }
    const gaps = this.gapsFor(items)
    if (gaps) body.gaps = gaps
    // Only with partial replication can a peer miss own seqs that were never meant for it.
    if (!this.node.config.topology && this.node.config.replicationFactor < this.node.config.members.length) {
      const inBatch = new Set(items.map((i) => i.op.id))
      let min = this.node.ownSeq + 1
      for (const op of this.node.replog.pendingFor(peer, Number.POSITIVE_INFINITY)) {
        if (op.origin === this.node.id && !inBatch.has(op.id) && op.seq < min) min = op.seq
      }
      if (min - 1 > 0) body.skip = { origin: this.node.id, from: 1, to: min - 1 }
    }
    return body
  }

  /** The latest never-allocated seq range of each origin heard of (relayed along with its ops). */
  private readonly gaps = new Map<NodeId, { origin: NodeId; from: number; to: number }>()

  /**
   * The seq gaps to send with these items: this node's own (seqs it skipped on open) and those of
   * the origins it relays. They were never allocated, so every node may mark them seen, whatever
   * path the ops take; without them a peer's watermark for a restarted node would stop at the gap.
   */
  private gapsFor(
    items: readonly ReplicateItem[],
  ): Array<{ origin: NodeId; from: number; to: number }> | undefined {
    const own = this.node.seqGap
    let out: Array<{ origin: NodeId; from: number; to: number }> | undefined = own
      ? [{ origin: this.node.id, ...own }]
      : undefined
    if (this.gaps.size === 0) return out
    const seen = new Set<NodeId>([this.node.id])
    for (const { op } of items) {
      if (seen.has(op.origin)) continue
      seen.add(op.origin)
      const g = this.gaps.get(op.origin)
      if (g) {
        out ??= []
        out.push(g)
      }
    }
    return out
  }

  private learnGap(g: { origin: NodeId; from: number; to: number }): void {
    if (!Number.isSafeInteger(g?.from) || !Number.isSafeInteger(g.to) || g.from < 1 || g.to < g.from) return
    this.node.dots.addRange(g.origin, g.from, g.to)
    const known = this.gaps.get(g.origin)
    if (g.origin !== this.node.id && (!known || known.to < g.to)) this.gaps.set(g.origin, g)
  }

  private kickScheduled = false
  /** Sends log entries never sent yet (relays) soon, coalesced per tick. */
  kick(): void {
    if (this.kickScheduled) return
    this.kickScheduled = true
    queueMicrotask(() => {
      this.kickScheduled = false
      for (const peer of this.node.replog.peersWithBacklog()) this.sendDue(peer, Number.NEGATIVE_INFINITY)
    })
  }

  /** Sends a peer the pending ops last sent at or before `sentBeforeMs`; returns how many. */
  sendDue(peer: NodeId, sentBeforeMs: number): number {
    const ops = this.node.replog.dueFor(peer, sentBeforeMs, this.node.config.replicateBatchMax)
    if (ops.length === 0) return 0
    this.node.replog.markSent(
      ops.map((o) => o.id),
      peer,
      this.node.env.clock.nowMs(),
    )
    this.node.send(
      peer,
      this.replicateBody(
        peer,
        ops.map((op) => ({ op })),
      ),
    )
    return ops.length
  }

  /**
   * Resends what a peer has not acknowledged, but only copies older than the peer's resend age (the
   * request timeout, doubling while the peer stays silent), so a resend never chases a copy that is
   * still on its way. Down peers are probed at the longest interval.
   */
  resendDue(): void {
    this.node.groups.flushLazy()
    const now = this.node.env.clock.nowMs()
    for (const peer of this.node.replog.peersWithBacklog()) {
      const ageMs = this.node.fd.healthy(peer)
        ? (this.resendBackoffMs.get(peer) ?? this.node.config.requestTimeoutMs)
        : this.node.config.resendBackoffMaxMs
      if (this.sendDue(peer, now - ageMs) > 0) {
        this.resendBackoffMs.set(peer, Math.min(ageMs * 2, this.node.config.resendBackoffMaxMs))
      }
    }
  }

  /** Pull sync (FetchUpdates): tell our sources what we have seen. */
  pullSync(): void {
    const seen = this.node.dots.toJson()
    for (const peer of this.node.peers()) {
      if (this.node.config.topology && !this.node.outNeighbors(peer).includes(this.node.id)) continue
      this.node.send(peer, { type: 'fetch-updates', seen })
    }
  }

  /** A peer's pull sync: send what its dot cloud says it misses (a malformed cloud is ignored). */
  onFetchUpdates(from: NodeId, seenJson: unknown): void {
    let seen: DotCloud
    try {
      seen = DotCloud.fromJson(seenJson)
    } catch {
      return // the peer asks again on its next sync
    }
    const ops = this.node.replog.missingFor(from, seen, this.node.config.replicateBatchMax)
    if (ops.length === 0) return
    this.node.replog.markSent(
      ops.map((o) => o.id),
      from,
      this.node.env.clock.nowMs(),
    )
    this.node.send(
      from,
      this.replicateBody(
        from,
        ops.map((op) => ({ op })),
      ),
    )
  }

  /** A peer pushed ops: apply each exactly once (or keep it as a hint) and acknowledge. */
  async onReplicate(m: Extract<Message, { type: 'replicate' }>): Promise<void> {
    const node = this.node
    // First, so that relays of this batch (kicked while it applies) carry the gaps on.
    for (const g of m.gaps ?? []) this.learnGap(g)
    const ids: OpId[] = []
    const newer: Array<{ id: OpId; version: Version }> = []
    /** Per origin, the relayed ops this replica now holds (topologies only). */
    const relays: Relays = new Map()
    let error: ReturnType<typeof toErrorData> | undefined
    const hinted = m.items.filter((item) => item.hintedFor && item.hintedFor !== node.id)
    const ops = hinted.length === 0 ? m.items.map((item) => item.op) : []
    if (hinted.length > 0) for (const item of m.items) if (!hinted.includes(item)) ops.push(item.op)
    const [results] = await Promise.all([
      applyBatch(node, ops, m.from),
      Promise.all(
        hinted.map((item) =>
          node.handoff.storeHint(item.hintedFor as NodeId, item.op).then(
            () => {
              ids.push(item.op.id)
            },
            (e) => {
              error = toErrorData(e)
            },
          ),
        ),
      ),
    ])
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]
      const r = results[i]
      if (typeof r !== 'string') {
        error = toErrorData(r.error)
        continue
      }
      // A coordinator waiting on this write learns whether it is still the newest here (directly, or
      // through a relay-ack when the op came through a relay).
      const relayed = node.config.topology !== null && op.origin !== m.from && op.origin !== node.id
      // A merged state never loses to an older one: nothing to report then.
      if ((m.reqId !== undefined || relayed) && !node.conflict.merges(op.key)) {
        const read = node.versions.stored(op.key)
        const stored = node.versions.newestOf(op.key, read instanceof Promise ? await read : read)
        if (stored && compareVersions(stored.meta as Version, op.version) > 0) {
          const current = recordVersion(stored)
          newer.push({ id: op.id, version: current })
          if (relayed) relayEntry(relays, op.origin).newer.push({ id: op.id, version: current })
        }
      }
      if (relayed) relayEntry(relays, op.origin).ids.push(op.id)
      ids.push(op.id)
    }
    for (const [origin, r] of relays)
      node.send(origin, { type: 'relay-ack', ids: r.ids, newer: r.newer.length > 0 ? r.newer : undefined })
    if (m.skip) node.dots.addRange(m.skip.origin, 1, m.skip.to)
    node.send(m.from, {
      type: 'replicate-ack',
      ids,
      reqId: m.reqId,
      error,
      newer: newer.length > 0 ? newer : undefined,
    })
  }

  /** Drops replication-log obligations to nodes that are no longer members. */
  forgetDeparted(): void {
    for (const p of this.node.replog.peersWithBacklog()) {
      if (this.node.config.members.includes(p)) continue
      const { diskOps } = this.node.replog.dropPeer(p)
      if (diskOps.length > 0) void this.node.groups.add({ diskOps }).catch(() => {})
    }
  }
}

type Relays = Map<NodeId, { ids: OpId[]; newer: Array<{ id: OpId; version: Version }> }>

function relayEntry(
  relays: Relays,
  origin: NodeId,
): { ids: OpId[]; newer: Array<{ id: OpId; version: Version }> } {
  let r = relays.get(origin)
  if (!r) {
    r = { ids: [], newer: [] }
    relays.set(origin, r)
  }
  return r
}
