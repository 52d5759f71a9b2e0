/**
 * Membership hand-over: before a new ring is published, every live node streams the rows it holds to
 * the owners that ring gives them and the current one does not (a joining node's ranges, or a leaving
 * node's ranges to their next owners), and waits until each batch is acknowledged. Anti-entropy only
 * runs between a range's replicas in ONE ring, so without this a key whose only replica moved (N=1)
 * read null forever after addNode or removeNode.
 *
 * Rows travel as `repair` messages and merge under LWW, so streaming twice, or a row the target got
 * meanwhile by replication, is harmless.
 */

import type { Timers } from '../env'
import { dbError } from '../errors'
import type { NodeId } from '../ids'
import type { MessageBody, RowVersion } from '../protocol/messages'
import type { HashRing } from '../ring/hashRing'
import { preferenceList } from '../ring/hashRing'
import type { KeyedRecord, ScanOptions } from '../storage/engine'
import type { Requests } from './requests'
import { recordRow } from './rows'

/** What a hand-over uses of its node (a narrow view of DbNode). */
export interface HandOffHost {
  readonly id: NodeId
  readonly ring: HashRing
  readonly engine: { scan(opts?: ScanOptions): Promise<KeyedRecord[]> }
  readonly requests: Requests
  readonly config: { readonly requestTimeoutMs: number }
  readonly env: { readonly timers: Timers; readonly clock: { nowMs(): number } }
  ownerCount(): number
  send(to: NodeId, body: MessageBody): void
}

/** The ring to move to and its N. */
export interface HandOffPlan {
  ring: HashRing
  n: number
  /** This node's share of the cluster's maxTransferRate in bytes/s (0 or absent: unthrottled). */
  bytesPerSec?: number
  /**
   * The ring and N being moved away from (default: the node's own). Passed explicitly so the catch-up
   * pass after the new ring is published still knows what moved.
   */
  before?: { ring: HashRing; n: number }
  /** Called after each batch a new owner acknowledged (rows, bytes): the move's progress. */
  onSent?: (rows: number, bytes: number) => void
}

/** What a hand-over would send: rows (one per new owner) and their bytes, counted before streaming. */
export interface HandOffCount {
  rows: number
  bytes: number
}

export interface HandOffStats {
  rowsScanned: number
  rowsSent: number
  bytesSent: number
  /** Rows sent per new owner. */
  byTarget: Record<string, number>
}

/** Rows per scan page and per repair message. */
const PAGE_ROWS = 512
/** The smallest throttled batch, bytes (a quarter second of a very low rate would be a row or two). */
const CHUNK_BYTES_MIN = 512
/** Tries per batch before the hand-over fails (the membership change is then not published). */
const BATCH_TRIES_MAX = 3

/**
 * The owners `plan` gives `key` that it did not have before (this node excluded). A row this node
 * holds without owning it under the prior map (a hint or a replica that landed after its range
 * moved) may be the only copy: its new owners all get it, even those that owned it before.
 */
function newOwnersOf(host: HandOffHost, plan: HandOffPlan, key: string): NodeId[] {
  const prior = plan.before ?? { ring: host.ring, n: host.ownerCount() }
  const before = preferenceList(prior.ring, key, prior.n)
  const stray = !before.includes(host.id)
  return preferenceList(plan.ring, key, plan.n).filter((t) => t !== host.id && (stray || !before.includes(t)))
}

/** The rows of one scan page that `plan` gives to owners they did not have, grouped by new owner. */
function newOwnerBatches(
  host: HandOffHost,
  plan: HandOffPlan,
  rows: readonly KeyedRecord[],
): Map<NodeId, RowVersion[]> {
  const perTarget = new Map<NodeId, RowVersion[]>()
  for (const r of rows) {
    for (const t of newOwnersOf(host, plan, r.key)) {
      let batch = perTarget.get(t)
      if (!batch) {
        batch = []
        perTarget.set(t, batch)
      }
      batch.push(recordRow(r.key, r.record))
    }
  }
  return perTarget
}

/** Calls `fn` with each page of this node's rows, tombstones included (bounded pages). */
async function eachPage(host: HandOffHost, fn: (rows: KeyedRecord[]) => Promise<void>): Promise<number> {
  let scanned = 0
  let start: string | undefined
  for (;;) {
    const page = await host.engine.scan({ start, limit: PAGE_ROWS + 1, includeTombstones: true })
    const rows = page.slice(0, PAGE_ROWS)
    scanned += rows.length
    await fn(rows)
    if (page.length <= PAGE_ROWS) return scanned
    start = page[PAGE_ROWS].key
  }
}

/**
 * Counts what `streamToNewOwners` would send now (a scan, nothing sent): the move's totals, known
 * before it starts, so its progress and ETA are honest. Rows written meanwhile may add a few.
 */
export async function countForNewOwners(host: HandOffHost, plan: HandOffPlan): Promise<HandOffCount> {
  const out: HandOffCount = { rows: 0, bytes: 0 }
  await eachPage(host, async (rows) => {
    for (const r of rows) {
      const targets = newOwnersOf(host, plan, r.key).length
      if (targets === 0) continue
      // As rowsBytes counts the row it sends (recordRow: no value for a tombstone).
      const value = r.record.tombstone ? 0 : ((r.record.value as string | null)?.length ?? 0)
      out.rows += targets
      out.bytes += targets * (r.key.length + value + 40)
    }
  })
  return out
}

/** Streams every row this node holds to the owners `plan` adds for it; resolves once all are acknowledged. */
export async function streamToNewOwners(host: HandOffHost, plan: HandOffPlan): Promise<HandOffStats> {
  const stats: HandOffStats = { rowsScanned: 0, rowsSent: 0, bytesSent: 0, byTarget: {} }
  const throttle = plan.bytesPerSec ? pacer(host, plan.bytesPerSec) : null
  // Throttled, a batch is at most a quarter second of the rate, so progress advances smoothly.
  const chunkBytes = plan.bytesPerSec
    ? Math.max(CHUNK_BYTES_MIN, plan.bytesPerSec / 4)
    : Number.POSITIVE_INFINITY
  stats.rowsScanned = await eachPage(host, async (rows) => {
    const perTarget = newOwnerBatches(host, plan, rows)
    await Promise.all(
      [...perTarget].map(async ([t, batch]) => {
        for (const chunk of chunksOf(batch, chunkBytes))
          await sendRows(host, t, chunk, stats, throttle, plan.onSent)
      }),
    )
  })
  return stats
}

/** Splits rows into runs of at most `bytesMax` bytes (at least one row each). */
function chunksOf(rows: RowVersion[], bytesMax: number): RowVersion[][] {
  if (!Number.isFinite(bytesMax)) return [rows]
  const out: RowVersion[][] = []
  let cur: RowVersion[] = []
  let bytes = 0
  for (const r of rows) {
    const b = rowsBytes([r])
    if (cur.length > 0 && bytes + b > bytesMax) {
      out.push(cur)
      cur = []
      bytes = 0
    }
    cur.push(r)
    bytes += b
  }
  if (cur.length > 0) out.push(cur)
  return out
}

/** Spaces sends so that bytes leave at most at `bytesPerSec` (one schedule for all of a node's targets). */
function pacer(host: HandOffHost, bytesPerSec: number): (bytes: number) => Promise<void> {
  let freeAtMs = host.env.clock.nowMs()
  return (bytes) => {
    const now = host.env.clock.nowMs()
    const startAt = Math.max(now, freeAtMs)
    freeAtMs = startAt + (bytes / bytesPerSec) * 1000
    const waitMs = freeAtMs - now
    return waitMs <= 0 ? Promise.resolve() : new Promise((r) => void host.env.timers.set(waitMs, r))
  }
}

/** The bytes a batch counts for against maxTransferRate (key, value and ~40 bytes of version). */
export function rowsBytes(rows: readonly RowVersion[]): number {
  let b = 0
  for (const r of rows) b += r.key.length + (r.value?.length ?? 0) + 40
  return b
}

async function sendRows(
  host: HandOffHost,
  to: NodeId,
  rows: RowVersion[],
  stats: HandOffStats,
  throttle: ((bytes: number) => Promise<void>) | null,
  onSent: HandOffPlan['onSent'],
): Promise<void> {
  const bytes = rowsBytes(rows)
  // The batch's bytes are paid for before they leave: B bytes take at least B / rate.
  if (throttle) await throttle(bytes)
  for (let attempt = 1; ; attempt++) {
    const { reqId, reply } = host.requests.start(to, host.config.requestTimeoutMs)
    host.send(to, { type: 'repair', rows, reqId })
    try {
      await reply
      break
    } catch (e) {
      if (attempt >= BATCH_TRIES_MAX)
        throw dbError(
          'TIMEOUT',
          `hand-over from ${host.id}: ${to} did not take ${rows.length} rows after ${attempt} tries; the membership change was not published`,
          { from: host.id, to, cause: String(e) },
        )
    }
  }
  stats.rowsSent += rows.length
  stats.byTarget[to] = (stats.byTarget[to] ?? 0) + rows.length
  stats.bytesSent += bytes
  onSent?.(rows.length, bytes)
}

/** One line for the event log: "streamed 19 rows to node_3". */
export function handOverText(s: HandOffStats): string {
  const to = Object.entries(s.byTarget).map(([t, n]) => `${n} to ${t}`)
  return `streamed ${s.rowsSent} rows to new owners (${to.join(', ')})`
}
