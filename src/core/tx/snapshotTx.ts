/**
 * MVCC at a transaction's coordinator: the snapshot every read of a 'snapshot'/'serializable'
 * transaction is served at. Its timestamp is the begin's Lamport time until the first read, whose
 * lock owner may raise it to its own clock and fixes it; one read fixes it while any other waits.
 * A read that finds its key's history too short moves the snapshot forward when nothing read so far
 * changed since (refreshSnapshot). Each key read is kept (the same read at the same snapshot always answers the same), and each lock
 * owner's incarnation: one that restarted since forgot the reads it served (their commit-timestamp
 * floor), so reading there again fails with TX_SNAPSHOT_TOO_OLD instead of mixing two snapshots.
 */
import { dbError, isDbError } from '../errors'
import type { NodeId } from '../ids'
import type { RowVersion } from '../protocol/messages'
import type { Version } from '../replication/version'
import type { SnapshotAsk, SnapshotServed, TxPeerBody, TxPeerReply } from './types'

export interface TxSnapshot {
  ts: number
  fixed: boolean
  /** The first read, while it fixes the timestamp. */
  fixing: Promise<unknown> | null
  /** Each lock owner's incarnation when it first served this transaction. */
  epochs: Map<NodeId, string>
  /** Rows read at the snapshot, by key. */
  rows: Map<string, RowVersion | null>
}

export function newSnapshot(beginTs: number): TxSnapshot {
  return { ts: beginTs, fixed: false, fixing: null, epochs: new Map(), rows: new Map() }
}

/** The row already read at this snapshot (undefined: not read yet). */
export function snapshotRow(s: TxSnapshot | undefined, key: string): RowVersion | null | undefined {
  return s?.rows.get(key)
}

/**
 * Sends a read or lock body with the snapshot attached; the first read runs alone (others wait for
 * it to fix the timestamp); notes what the owner served. A read whose key's history no longer
 * reaches back to the snapshot moves the snapshot forward to the key's current version when every
 * key read so far is unchanged since (`refresh`, CockroachDB's read refresh), and reads again.
 */
export async function snapshotAsk(
  s: TxSnapshot,
  txId: string,
  owner: NodeId,
  body: Extract<TxPeerBody, { kind: 'read' | 'lock' }>,
  send: (b: TxPeerBody) => Promise<TxPeerReply>,
  refresh: (toTs: number) => Promise<void>,
): Promise<RowVersion | null> {
  while (!s.fixed && s.fixing) await s.fixing.catch(() => {})
  for (let attempt = 1; ; attempt++) {
    const ask: SnapshotAsk = { ts: s.ts, fixed: s.fixed }
    const sent = send({ ...body, snap: ask })
    if (!s.fixed) s.fixing = sent
    try {
      const reply = await sent
      const row = 'row' in reply ? reply.row : null
      if ('row' in reply && reply.snap) served(s, txId, owner, reply.snap)
      s.rows.set(body.key, row)
      return row
    } catch (e) {
      const toTs = refreshTarget(e)
      if (toTs === null || attempt > 1 || !s.fixed) throw e
      await refresh(toTs)
    } finally {
      if (s.fixing === sent) s.fixing = null
    }
  }
}

/** The timestamp a too-old read asks the snapshot to move to (its key's current version), or null. */
function refreshTarget(e: unknown): number | null {
  if (!isDbError(e) || e.code !== 'TX_SNAPSHOT_TOO_OLD') return null
  const current = e.details?.current as { ts?: unknown } | undefined
  return typeof current?.ts === 'number' ? current.ts : null
}

/**
 * Moves the snapshot to `toTs`: each lock owner checks that none of the keys read there changed
 * since (TX_SNAPSHOT_TOO_OLD otherwise) and from then on proposes commit timestamps past `toTs`.
 */
export async function refreshSnapshot(
  s: TxSnapshot,
  txId: string,
  toTs: number,
  ownerOf: (key: string) => NodeId,
  send: (to: NodeId, b: TxPeerBody) => Promise<TxPeerReply>,
): Promise<void> {
  const byOwner = new Map<NodeId, Array<{ key: string; version: Version | null }>>()
  for (const [key, row] of s.rows) {
    const owner = ownerOf(key)
    const items = byOwner.get(owner) ?? []
    items.push({ key, version: row?.version ?? null })
    byOwner.set(owner, items)
  }
  await Promise.all([...byOwner].map(([to, items]) => send(to, { kind: 'refresh', txId, ts: toTs, items })))
  s.ts = Math.max(s.ts, toTs)
}

function served(s: TxSnapshot, txId: string, owner: NodeId, snap: SnapshotServed): void {
  if (!s.fixed) {
    s.ts = snap.ts
    s.fixed = true
  }
  const had = s.epochs.get(owner)
  if (had !== undefined && had !== snap.epoch)
    throw dbError(
      'TX_SNAPSHOT_TOO_OLD',
      `${owner} restarted since it served transaction ${txId} a snapshot read: it no longer knows which commits that snapshot must not see`,
      { txId, node: owner },
    )
  s.epochs.set(owner, snap.epoch)
}
