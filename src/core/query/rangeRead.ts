/**
 * Range reads (getRange, globalQuery): the coordinator asks R replicas of the partition for the rows
 * they hold in one stored-key span (the LSM's merging scan, tombstones included, plus hinted writes a
 * stand-in holds), keeps the newest version of each key, hides tombstones and repairs the replicas it
 * contacted that were stale, in the background (point reads repair blocking; a range may be large).
 */
import { type DbErrorData, dbError, toErrorData } from '../errors'
import type { NodeId } from '../ids'
import { quorumFor } from '../node/coordinator'
import type { DbNode } from '../node/dbNode'
import type { HintStore } from '../node/hints'
import { opRow, recordRow } from '../node/rows'
import type { Message, RowVersion } from '../protocol/messages'
import type { ConsistencyLevel } from '../quorum/consistency'
import { compareVersions } from '../replication/version'
import type { StorageEngine } from '../storage/engine'

/** Most rows one range read returns (and each replica scans). */
export const RANGE_ROWS_MAX = 10_000

export interface RangeOutcome {
  /** Live rows, newest version per key, in key order. */
  rows: RowVersion[]
  /** Replicas that answered. */
  replies: NodeId[]
  repaired: NodeId[]
  /** True when `limit` cut the range: rows past the last one returned were not read. */
  truncated: boolean
}

/** What a replica needs to answer a range read. */
export interface RangeSource {
  readonly engine: Pick<StorageEngine, 'scan'>
  readonly hints: Pick<HintStore, 'forRange'>
}

/** This replica's rows in [start, end), tombstones included, newest of stored and hinted per key. */
export async function localRange(
  node: RangeSource,
  start: string,
  end: string,
  limit: number,
): Promise<{ rows: RowVersion[]; truncated: boolean }> {
  const stored = await node.engine.scan({ start, end, limit: limit + 1, includeTombstones: true })
  const truncated = stored.length > limit
  const byKey = new Map<string, RowVersion>()
  for (const r of stored.slice(0, limit)) byKey.set(r.key, recordRow(r.key, r.record))
  const last = truncated ? stored[limit - 1].key : null
  for (const op of node.hints.forRange(start, end)) {
    if (last !== null && op.key > last) continue
    const have = byKey.get(op.key)
    if (!have || compareVersions(op.version, have.version) > 0) byKey.set(op.key, opRow(op))
  }
  const rows = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return { rows, truncated }
}

/** Answers a peer's range-req. */
export function serveRange(node: DbNode, m: Extract<Message, { type: 'range-req' }>): void {
  const limit = Math.min(Math.max(1, Math.floor(m.limit)), RANGE_ROWS_MAX)
  localRange(node, m.start, m.end, limit).then(
    (r) => node.send(m.from, { type: 'range-resp', reqId: m.reqId, rows: r.rows, truncated: r.truncated }),
    (e) =>
      node.send(m.from, {
        type: 'range-resp',
        reqId: m.reqId,
        rows: [],
        truncated: false,
        error: toErrorData(e),
      }),
  )
}

async function askReplica(
  node: DbNode,
  peer: NodeId,
  start: string,
  end: string,
  limit: number,
): Promise<{ rows: RowVersion[]; truncated: boolean }> {
  if (peer === node.id) return localRange(node, start, end, limit)
  const { reqId, reply } = node.requests.start(peer, node.config.requestTimeoutMs)
  node.send(peer, { type: 'range-req', reqId, start, end, limit })
  const m = await reply
  if (m.type !== 'range-resp') throw dbError('INTERNAL', `unexpected ${m.type} to a range read`)
  if (m.error) throw dbError(m.error.code, `${peer}: ${m.error.message}`, m.error.details)
  return { rows: m.rows, truncated: m.truncated }
}

/**
 * Coordinates a range read of stored keys [start, end) that all share one partition key (`routeKey`
 * places them): R replicas answer (the next one is asked when one fails), newest version per key wins.
 */
export async function coordinateRange(
  node: DbNode,
  routeKey: string,
  start: string,
  end: string,
  opts: { level?: ConsistencyLevel; limit?: number } = {},
): Promise<RangeOutcome> {
  if (opts.level === 'ANY') throw dbError('BAD_INPUT', 'consistency ANY is for writes only')
  const limit = opts.limit ?? RANGE_ROWS_MAX
  if (!Number.isInteger(limit) || limit < 1 || limit > RANGE_ROWS_MAX)
    throw dbError('BAD_INPUT', `limit must be an integer from 1 to ${RANGE_ROWS_MAX}, got ${String(limit)}`)
  const { r, n } = quorumFor(node, opts.level)
  const { owners, readable, readOrder } = node.routes.route(routeKey, n)
  if (readable.length < r)
    throw dbError(
      'QUORUM_NOT_MET',
      `range read needs ${r} of ${n} replicas but only ${readable.length} are reachable`,
      {
        needed: r,
        answered: [],
        owners: [...owners],
      },
    )
  const replies: Array<{ node: NodeId; rows: RowVersion[]; truncated: boolean }> = []
  const errors: DbErrorData[] = []
  let next = 0
  const ask = async (): Promise<void> => {
    while (next < readOrder.length) {
      const t = readOrder[next++]
      try {
        replies.push({ node: t.node, ...(await askReplica(node, t.node, start, end, limit)) })
        return
      } catch (e) {
        errors.push(toErrorData(e))
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(r, readOrder.length) }, ask))
  if (replies.length < r)
    throw dbError(
      'QUORUM_NOT_MET',
      `range read got ${replies.length} of ${r} required replies (${replies.map((x) => x.node).join(', ') || 'none'})`,
      { needed: r, answered: replies.map((x) => x.node), owners: [...owners], errors },
    )
  return mergeReplies(node, replies, limit)
}

/** Newest per key across replies, cut where the shortest truncated reply stopped; repairs the stale. */
function mergeReplies(
  node: DbNode,
  replies: Array<{ node: NodeId; rows: RowVersion[]; truncated: boolean }>,
  limit: number,
): RangeOutcome {
  let cut: string | null = null
  for (const x of replies)
    if (x.truncated && x.rows.length > 0) {
      const last = x.rows[x.rows.length - 1].key
      if (cut === null || last < cut) cut = last
    }
  const best = new Map<string, RowVersion>()
  for (const x of replies)
    for (const row of x.rows) {
      if (cut !== null && row.key > cut) continue
      const have = best.get(row.key)
      if (!have || compareVersions(row.version, have.version) > 0) best.set(row.key, row)
    }
  const repaired: NodeId[] = []
  if (node.config.readRepair !== 'off' && replies.length > 1) {
    for (const x of replies) {
      const held = new Map(x.rows.map((row) => [row.key, row]))
      const stale = [...best.values()].filter((b) => {
        const h = held.get(b.key)
        return !h || compareVersions(h.version, b.version) < 0
      })
      if (stale.length === 0) continue
      repaired.push(x.node)
      node.stats.readRepairs += stale.length
      if (x.node === node.id) for (const row of stale) void node.applyRow(row).catch(() => {})
      else node.send(x.node, { type: 'repair', rows: stale })
    }
  }
  const all = [...best.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const rows = all.filter((row) => !row.tombstone).slice(0, limit)
  return {
    rows,
    replies: replies.map((x) => x.node),
    repaired,
    truncated: cut !== null || rows.length < all.filter((row) => !row.tombstone).length,
  }
}
