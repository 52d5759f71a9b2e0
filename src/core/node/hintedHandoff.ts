/**
 * Hinted handoff on the stand-in's side: storing writes for an unhealthy owner durably (within the
 * hint window) and replaying them, throttled, when the failure detector sees the owner again.
 */
import type { DiskOp } from '../disk/disk'
import { dbError } from '../errors'
import type { NodeId } from '../ids'
import type { Op } from '../replication/version'
import type { DbNode } from './dbNode'
import type { Hint } from './hints'
import { opRow } from './rows'

/** Hints per message when a leaving node hands them over. */
const HINT_BATCH_MAX = 256

export class HintedHandoff {
  constructor(private readonly node: DbNode) {}

  /** Keeps a write for an unhealthy owner as a durable hint (this node is its stand-in). */
  async storeHint(hintedFor: NodeId, op: Op): Promise<void> {
    const downSince = this.node.fd.downSinceMs(hintedFor)
    const now = this.node.env.clock.nowMs()
    if (downSince !== null && now - downSince > this.node.config.hintWindowMs) {
      throw dbError(
        'NODE_DOWN',
        `${hintedFor} has been down longer than the hint window (${this.node.config.hintWindowMs} ms)`,
        { hintedFor },
      )
    }
    this.node.clock.receive(op.version.ts)
    const diskOps: DiskOp[] = []
    await this.place(hintedFor, op, now, false, diskOps)
    if (diskOps.length === 0) return
    await this.node.groups.add({ diskOps })
    this.node.emit({ type: 'hint-store', peer: hintedFor, opId: op.id, key: op.key })
  }

  /**
   * Keeps `op` as a hint for `hintedFor` — or, when the ring no longer makes it an owner of the key,
   * for the key's current owners (as rows; this node writes its own share), so a moved range does not
   * strand a hint on a non-owner. Pushes the Disk ops to persist onto `diskOps`.
   */
  private async place(
    hintedFor: NodeId,
    op: Op,
    nowMs: number,
    asRow: boolean,
    diskOps: DiskOp[],
  ): Promise<void> {
    let owners: NodeId[] | null = null
    try {
      owners = this.node.owners(op.key)
    } catch {
      // a key no range holds any more: keep the hint as it is
    }
    if (!owners || owners.includes(hintedFor)) {
      const put = this.node.hints.add(hintedFor, op, nowMs, asRow)
      if (put) diskOps.push(put)
      return
    }
    for (const o of owners) {
      if (o === this.node.id) await this.node.applyRow(opRow(op))
      else {
        const put = this.node.hints.add(o, op, nowMs, true)
        if (put) diskOps.push(put)
      }
    }
  }

  /**
   * After the ring changed: hints for an owner that no longer owns their key go to the key's current
   * owners. At N = 1 such a hint was the only copy: the elastic sweep lost writes taken by a stand-in
   * whose owner's partition was transferred before the hint was replayed.
   */
  async retargetHints(): Promise<void> {
    const diskOps: DiskOp[] = []
    const now = this.node.env.clock.nowMs()
    for (const h of this.node.hints.all()) {
      let owners: NodeId[]
      try {
        owners = this.node.owners(h.op.key)
      } catch {
        continue
      }
      if (owners.includes(h.hintedFor)) continue
      await this.place(h.hintedFor, h.op, now, true, diskOps)
      diskOps.push(...this.node.hints.remove(h.hintedFor, [h.op.id]))
    }
    if (diskOps.length > 0) await this.node.groups.add({ diskOps })
  }

  /**
   * A leaving node gives every hint it holds to `to`, which keeps them as their stand-in (or, for
   * its own, writes them); resolves once all are acknowledged, TIMEOUT after 3 tries of a batch.
   * Hints are not rows, so the membership hand-over does not carry them: at N = 1 a removed
   * stand-in took the only copy of a write with it (the elastic sweep's seed 14).
   */
  async handOverHints(to: NodeId): Promise<number> {
    const all = this.node.hints.all()
    let moved = 0
    for (let i = 0; i < all.length; i += HINT_BATCH_MAX) {
      const batch = all.slice(i, i + HINT_BATCH_MAX)
      for (let attempt = 1; ; attempt++) {
        try {
          const delivered = await this.send(to, batch, true)
          const ops: DiskOp[] = []
          for (const h of batch)
            if (delivered.has(h.op.id)) ops.push(...this.node.hints.remove(h.hintedFor, [h.op.id]))
          moved += ops.length
          if (ops.length > 0) await this.node.groups.add({ diskOps: ops })
          if (ops.length === batch.length) break
        } catch (e) {
          if (attempt >= 3)
            throw dbError('TIMEOUT', `${this.node.id} could not hand its hints to ${to}`, {
              cause: String(e),
            })
        }
      }
    }
    return moved
  }

  /**
   * Sends hints to `to`: its own (or `asRow` ones) as rows in a `repair`, the others — when `keep`,
   * for `to` to hold as their stand-in — as hinted ops. Resolves with the op ids `to` took.
   */
  private async send(to: NodeId, hints: readonly Hint[], keep: boolean): Promise<Set<string>> {
    const asRows = hints.filter((h) => h.asRow || h.hintedFor === to)
    const asOps = keep ? hints.filter((h) => !asRows.includes(h)) : []
    const took = new Set<string>()
    const timeout = this.node.config.requestTimeoutMs
    if (asRows.length > 0) {
      const { reqId, reply } = this.node.requests.start(to, timeout)
      this.node.send(to, { type: 'repair', rows: asRows.map((h) => opRow(h.op)), reqId })
      const m = await reply
      if (m.type !== 'repair-ack') throw dbError('INTERNAL', `unexpected ${m.type}`)
      for (const h of asRows) took.add(h.op.id)
    }
    if (asOps.length > 0) {
      const { reqId, reply } = this.node.requests.start(to, timeout)
      this.node.send(to, {
        type: 'replicate',
        items: asOps.map((h) => ({ op: h.op, hintedFor: h.hintedFor })),
        reqId,
      })
      const m = await reply
      if (m.type !== 'replicate-ack') throw dbError('INTERNAL', `unexpected ${m.type}`)
      for (const id of m.ids) took.add(id)
    }
    return took
  }

  private hintsInFlight = new Set<NodeId>()
  /** Replays hints to owners the failure detector sees up, within the bytes/s budget. */
  replayHints(): void {
    const intervalMs = Math.max(50, this.node.config.heartbeatIntervalMs)
    const budget = Math.max(1, Math.floor((this.node.config.hintReplayBytesPerSec * intervalMs) / 1000))
    for (const target of this.node.hints.targets()) {
      if (this.node.fd.view(target) !== 'up' || this.hintsInFlight.has(target)) continue
      const batch = this.node.hints.batchFor(target, budget)
      if (batch.length === 0) continue
      this.hintsInFlight.add(target)
      const moved = batch.filter((h) => h.asRow)
      if (moved.length > 0) {
        // Moved after a ring change: delivered as rows (see Hint.asRow).
        this.send(target, moved, false)
          .then(async (took) => {
            const ops = this.node.hints.remove(target, [...took] as Op['id'][])
            this.node.stats.hintsDelivered += ops.length
            await this.node.groups.add({ diskOps: ops })
            this.node.emit({ type: 'hint-deliver', peer: target, detail: `${ops.length} hints` })
          })
          .catch(() => {})
          .finally(() => this.hintsInFlight.delete(target))
        continue
      }
      const { reqId, reply } = this.node.requests.start(target, this.node.config.requestTimeoutMs)
      this.node.send(target, { type: 'replicate', items: batch.map((h) => ({ op: h.op })), reqId })
      reply
        .then(async (m) => {
          if (m.type !== 'replicate-ack') return
          const ops = this.node.hints.remove(target, m.ids)
          this.node.stats.hintsDelivered += ops.length
          await this.node.groups.add({ diskOps: ops })
          this.node.emit({ type: 'hint-deliver', peer: target, detail: `${ops.length} hints` })
        })
        .catch(() => {})
        .finally(() => this.hintsInFlight.delete(target))
    }
  }
}
