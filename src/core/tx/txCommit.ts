/**
 * A transaction's commit, at its coordinator: (1) prepare at every lock owner (all at once);
 * (2) decide — its record holder, the lock owner of its smallest written key, writes the record
 * COMMITTED with every row in one durable write: the commit point; (3) one apply per replica with
 * all of that replica's rows (one group commit there), until every key has W acks; (4) tell the
 * holder who acked (it rolls the rest forward) and release. A coordinator that dies after (2) leaves
 * the roll-forward to the holder; one that dies before it leaves a record the lock owners abort.
 */
import { type DbErrorData, dbError, isDbError, toErrorData } from '../errors'
import type { NodeId } from '../ids'
import type { RowVersion } from '../protocol/messages'
import type { Version } from '../replication/version'
import type { TxHost } from './host'
import type { TxSnapshot } from './snapshotTx'
import type { LockMode, PrepareItem, TxPeerBody, TxPeerReply, TxPriority, TxState } from './types'

export interface Tx {
  id: string
  state: TxState
  /** Deadlock-avoidance priority (kept across the retries of an atomic op). */
  prio: TxPriority
  writes: Map<string, string | null>
  /** The version each key had when this transaction first read it (null: no row). */
  seen: Map<string, Version | null>
  /** Keys whose seen version the commit must re-check. */
  validate: Set<string>
  locks: Map<string, LockMode>
  /** Lock owner per key, fixed at the key's first touch. */
  owners: Map<string, NodeId>
  startedMs: number
  lastUsedMs: number
  failure?: DbErrorData
  /** Set once its record is COMMITTED: nothing may release its locks before W acks per key. */
  decided?: boolean
  /** Its MVCC snapshot (isolation 'snapshot' and 'serializable'). */
  snapshot?: TxSnapshot
}

/** What the commit needs of its coordinator. */
export interface CommitDeps {
  host: TxHost
  send(to: NodeId, body: TxPeerBody, waitMs: number): Promise<TxPeerReply>
  ownerOf(tx: Tx, key: string): NodeId
}

export interface CommitOutcome {
  version: Version
  rows: number
  /** Some key has fewer than W acks: the locks stay until the holder resolves it. */
  short: boolean
}

/** Runs steps (1)–(3); throws TX_ABORTED-class errors before the commit point, TX_IN_DOUBT at it. */
export async function commitTx(d: CommitDeps, tx: Tx): Promise<CommitOutcome> {
  const keys = [...tx.writes.keys()].sort()
  const holder = keys.length > 0 ? d.ownerOf(tx, keys[0]) : undefined
  const proposedTs = await prepare(d, tx, holder)
  // Past every lock owner's proposal, so past every snapshot read of its keys (MVCC).
  const version: Version = { ts: Math.max(d.host.tick(), proposedTs), node: d.host.id }
  if (version.ts === proposedTs) d.host.observe(version)
  if (holder === undefined) return { version, rows: 0, short: false }
  const now = d.host.nowMs()
  const rows: RowVersion[] = keys.map((key) => {
    const value = tx.writes.get(key) ?? null
    return { key, value, tombstone: value === null, version, writtenAtMs: now }
  })
  const holderApplied = await decide(d, tx, holder, rows)
  tx.decided = true
  const { acked, settled } = await apply(d, tx, rows, holderApplied ? holder : null)
  // Once every replica answered: the holder then pushes only to the ones that did not ack.
  void settled
    .then((all) => d.send(holder, { kind: 'acked', txId: tx.id, nodes: [...all] }, 0))
    .catch(() => {})
  const w = d.host.writeQuorum()
  const short = keys.some((k) => d.host.ownersOf(k).filter((r) => acked.has(r)).length < w)
  return { version, rows: rows.length, short }
}

/** Locks and validates at every lock owner (in parallel); the highest commit-timestamp proposal (0: none). */
async function prepare(d: CommitDeps, tx: Tx, record: NodeId | undefined): Promise<number> {
  const byOwner = new Map<NodeId, PrepareItem[]>()
  for (const key of new Set([...tx.writes.keys(), ...tx.validate])) {
    const owner = d.ownerOf(tx, key)
    const item: PrepareItem = { key, mode: tx.writes.has(key) ? 'X' : 'S' }
    if (tx.validate.has(key) && tx.seen.has(key)) item.expect = tx.seen.get(key) ?? null
    const list = byOwner.get(owner) ?? []
    list.push(item)
    byOwner.set(owner, list)
  }
  // All owners at once: wound-wait (not a global lock order) keeps the waits cycle-free.
  const replies = await Promise.all(
    [...byOwner].map(([owner, items]) => {
      const body: TxPeerBody = { kind: 'prepare', txId: tx.id, items, prio: tx.prio }
      if (record !== undefined) body.record = record
      if (tx.snapshot?.fixed) body.readTs = tx.snapshot.ts
      return d.send(owner, body, d.host.settings().lockTimeoutMs)
    }),
  )
  return Math.max(0, ...replies.map((r) => ('proposedTs' in r ? (r.proposedTs ?? 0) : 0)))
}

/**
 * The commit point. A refusal (the record was aborted) means nothing was applied; a lost answer
 * is settled by asking the holder with `expired` (a record still PENDING then aborts): only a
 * holder that cannot be reached, or is mid-write, leaves the client in doubt — not the cluster.
 */
async function decide(d: CommitDeps, tx: Tx, holder: NodeId, rows: RowVersion[]): Promise<boolean> {
  try {
    const reply = await d.send(holder, { kind: 'decide', txId: tx.id, rows }, 0)
    return 'decided' in reply && reply.appliedHere
  } catch (e) {
    if (isDbError(e) && e.code === 'TX_ABORTED') throw e
    const reply = await d.send(holder, { kind: 'status', txId: tx.id, expired: true }, 0).catch(() => null)
    const st = reply && 'record' in reply ? reply.record : null
    if (st?.state === 'committed') return false // whether it applied its own rows: unknown, resend
    if (st?.state === 'aborted' || st?.state === 'none')
      throw dbError('TX_ABORTED', `transaction ${tx.id} did not reach its commit point: nothing applied`, {
        txId: tx.id,
        cause: toErrorData(e),
      })
    tx.decided = true // its locks must stay until the holder says
    throw dbError(
      'TX_IN_DOUBT',
      `the record holder ${holder} of transaction ${tx.id} did not answer: its record there decides (COMMITTED is rolled forward, anything else aborts) — see listTransactions`,
      { txId: tx.id, recordHolder: holder, cause: toErrorData(e) },
    )
  }
}

/**
 * Sends each replica all of its rows in one body; resolves when every key has W acks, or all
 * answered; `settled` when all answered.
 */
async function apply(
  d: CommitDeps,
  tx: Tx,
  rows: RowVersion[],
  done: NodeId | null,
): Promise<{ acked: Set<NodeId>; settled: Promise<Set<NodeId>> }> {
  const byReplica = new Map<NodeId, RowVersion[]>()
  for (const row of rows)
    for (const r of d.host.ownersOf(row.key)) {
      if (r === done) continue // the holder applied its rows with the record
      const list = byReplica.get(r) ?? []
      list.push(row)
      byReplica.set(r, list)
    }
  const acked = new Set<NodeId>(done ? [done] : [])
  const w = d.host.writeQuorum()
  const short = (): boolean =>
    rows.some((row) => d.host.ownersOf(row.key).filter((r) => acked.has(r)).length < w)
  let settle: (a: Set<NodeId>) => void = () => {}
  const settled = new Promise<Set<NodeId>>((r) => {
    settle = r
  })
  if (byReplica.size === 0) settle(acked)
  if (byReplica.size > 0)
    await new Promise<void>((resolve) => {
      let left = byReplica.size
      for (const [r, mine] of byReplica)
        d.send(r, { kind: 'apply', txId: tx.id, rows: mine }, 0)
          .then(
            () => void acked.add(r),
            () => {},
          )
          .finally(() => {
            if (--left === 0) settle(acked)
            if (left === 0 || !short()) resolve()
          })
    })
  return { acked: new Set(acked), settled }
}
