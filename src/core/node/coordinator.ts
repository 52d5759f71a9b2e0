/**
 * The coordinator: any node can take a client operation. Writes go to the key's preference list
 * (stand-ins with hints under a sloppy quorum) and return after W acknowledgements; reads ask R
 * replicas (one more when one fails or is slow), return the newest version (or the merge of their
 * states, by the conflict mode), and repair the stale ones they contacted (blocking or async).
 */
import type { ReadView, WriteIntent } from '../conflict/types'
import type { TimerHandle } from '../env'
import { type DbErrorData, dbError, toErrorData } from '../errors'
import { assertKey, type NodeId, type OpId } from '../ids'
import { assertKeySize, assertValueSize } from '../limits'
import type { Message, RowVersion } from '../protocol/messages'
import { type ConsistencyLevel, levelToQuorum } from '../quorum/consistency'
import type { Op } from '../replication/version'
import { compareVersions, type Version } from '../replication/version'
import type { SloppyTarget } from '../ring/hashRing'
import type { DbNode } from './dbNode'
import type { ItemOutcome } from './outbox'
import { forwardTargetFor } from './routes'

export interface WriteOutcome {
  key: string
  version: Version
  acks: Array<{ node: NodeId; hintedFor?: NodeId }>
  /** The replication op the client was told about (its messages carry this id); absent when forwarded. */
  opId?: OpId
}

/** One replica's answer to a read: its version, and for a merging key what its own row holds. */
export interface ReadReply {
  node: NodeId
  version: Version | null
  /** 'vector': how many siblings this replica's row holds. */
  siblings?: number
  /** A CRDT key: this replica's own value and state, before the coordinator merged them. */
  crdt?: { value: unknown; state: unknown }
}

export interface ReadOutcome {
  key: string
  row: RowVersion | null
  replies: ReadReply[]
  repaired: NodeId[]
  /** A merging key's siblings and context, or its CRDT value (absent for LWW keys). */
  view?: ReadView
}

/** W and R for an operation: its level, else the cluster's level, else the configured quorums. */
export function quorumFor(
  node: DbNode,
  level: ConsistencyLevel | undefined,
): { w: number; r: number; n: number } {
  let perLevel = quorums.get(node.config)
  if (!perLevel) {
    perLevel = new Map()
    quorums.set(node.config, perLevel)
  }
  const cached = perLevel.get(level)
  if (cached) return cached
  const n = Math.min(node.config.replicationFactor, node.config.members.length)
  const l = level ?? node.config.consistency
  const q = Object.freeze(
    l ? { ...levelToQuorum(l, n), n } : { w: node.config.writeQuorum, r: node.config.readQuorum, n },
  )
  perLevel.set(level, q)
  return q
}

/** W, R and N per config (configs are replaced, never mutated) and level. */
const quorums = new WeakMap<object, Map<ConsistencyLevel | undefined, { w: number; r: number; n: number }>>()

function validateValue(node: DbNode, key: string, value: string | null): void {
  if (value === null) return
  if (typeof value !== 'string') throw dbError('BAD_INPUT', `values are strings, got ${typeof value}`)
  assertValueSize(key, value, node.config.valueBytesMax)
}

/** Coordinates a put (value) or delete (null). */
export async function coordinateWrite(
  node: DbNode,
  key: string,
  value: string | null,
  level?: ConsistencyLevel,
  forwarded = false,
  intent?: WriteIntent,
): Promise<WriteOutcome> {
  assertKey(key)
  assertKeySize(key, node.config.keyBytesMax)
  validateValue(node, key, value)
  // The conflict mode checks what the write carries (a context, a CRDT op) before anything happens.
  const prepared = node.conflict.prepare(key, value, intent)
  if (prepared?.kind === 'crdt') {
    const arg = Object.values(prepared.op)[0]
    if (typeof arg === 'string') validateValue(node, key, arg)
  }
  const { w, r, n } = quorumFor(node, level)
  const { owners, reachable, relayed, healthy, self } = node.routes.route(key, n)
  if (healthy.length < w && node.config.topology && !forwarded) {
    // This node's topology cannot take the write to W replicas (a star's leaf when the hub is not an
    // owner): hand it to a node whose topology can, as any Dynamo node forwards to a coordinator.
    const via = forwardTargetFor(node, owners, w)
    if (via) return forwardWrite(node, via, key, value, level, intent)
  }
  if (healthy.length < w) {
    throw dbError(
      'QUORUM_NOT_MET',
      `write needs ${w} of ${n} replicas but only ${healthy.length} are reachable (${healthy.map((t) => t.node).join(', ') || 'none'})`,
      {
        needed: w,
        answered: [],
        owners: [...owners],
      },
    )
  }
  // With Lamport clocks a coordinator that never saw the key's last acknowledged write would stamp an
  // older version and lose to LWW while acknowledging. When 2W > N any two write quorums overlap, so
  // the write goes out optimistically; a replica that already holds a newer version says so. A round
  // that hears from W replicas (acks plus "holds newer" reports) hears from at least one replica of
  // every write acknowledged before this one began, so the newest version it reports BOUNDS them all;
  // a retry stamped past that bound beats every one of them. Only then may a newer version reported to
  // a later round count as an ack ("superseded"): it can only belong to a concurrent write, which LWW
  // may order after this one, and hot keys cannot make writes retry forever. A round with fewer than W
  // answers (timeouts) bounds nothing: its retry must again collect W plain acks or W answers
  // (found by the checker sweep, seed 792: one "newer" and two timeouts, then a retry stamped past
  // the reported version lost to a newer one only the silent majority held, and was acknowledged).
  // Otherwise (2W <= N) the coordinator first reads the version from N−W+1 replicas, which overlap
  // every write quorum, and so starts bounded.
  // A merged state never loses to another (vector, CRDT keys): no version to read first, no retry.
  const lamportRyw = !prepared && r + w > n && node.config.timestampSource === 'lamport'
  const optimistic = lamportRyw && 2 * w > n
  if (lamportRyw && !optimistic) {
    const answered = await raiseClockFromReplicas(node, key, healthy, n - w + 1)
    if (answered.length < n - w + 1)
      throw dbError(
        'QUORUM_NOT_MET',
        `write needs the key's version from ${n - w + 1} replicas first, got ${answered.length} (${answered.join(', ') || 'none'})`,
        { needed: n - w + 1, answered, owners: [...owners] },
      )
  }
  // Without R+W>N (or with wall clocks) LWW may drop a write that overlaps nothing: documented, and the
  // checker reports it; a "newer" report is then an ack as in Cassandra.
  let bounded = !optimistic
  for (let attempt = 0; ; attempt++) {
    // Log before send: the op is durable here (as a row, a hint, or only in the replication log)
    // before any replica hears of it.
    const op = await node.originate(key, value, !!self && !self.hintedFor, self?.hintedFor, prepared)
    const round = await replicate(node, op, reachable, relayed, self, w, bounded)
    const { acks, errors, newer, newerCount } = round
    if (acks.length >= w) {
      round.hintMisses()
      return { key, version: op.version, acks, opId: op.id }
    }
    if (newer && attempt < WRITE_ATTEMPTS_MAX - 1) {
      if (acks.length + newerCount >= w) bounded = true
      node.clock.receive(newer.ts)
      node.stats.writeRetries++
      continue
    }
    // The op is durable here and may have reached some replicas: the ones that did not answer get a
    // hint, as for a write that succeeded.
    round.hintMisses()
    const localError = errors.find((e) => e.code !== 'TIMEOUT' && e.code !== 'NODE_DOWN')
    if (localError && acks.length === 0 && newerCount === 0)
      throw dbError(localError.code, localError.message, localError.details)
    const heard = acks.length + newerCount
    throw dbError(
      'QUORUM_NOT_MET',
      newerCount > 0
        ? `write heard from ${heard} of ${w} required replicas (${acks.map((a) => a.node).join(', ') || 'no acks'}; ${newerCount} held a newer version), too few to order it after every acknowledged write`
        : `write got ${acks.length} of ${w} required acks (${acks.map((a) => a.node).join(', ') || 'none'})`,
      { needed: w, answered: acks.map((a) => a.node), owners: [...owners] },
    )
  }
}

/** Asks `via` to coordinate a write (this node cannot take it to W replicas, or does not own the key). */
export async function forwardWrite(
  node: DbNode,
  via: NodeId,
  key: string,
  value: string | null,
  level: ConsistencyLevel | undefined,
  intent?: WriteIntent,
): Promise<WriteOutcome> {
  // The forwarded write may itself wait for a commit, a retry and relays.
  const { reqId, reply } = node.requests.start(via, 3 * node.config.requestTimeoutMs)
  node.send(
    via,
    intent
      ? { type: 'forward-write', reqId, key, value, level, intent }
      : { type: 'forward-write', reqId, key, value, level },
  )
  const m = await reply
  if (m.type !== 'forward-resp') throw dbError('INTERNAL', `unexpected ${m.type} to a forwarded write`)
  if (m.error) throw dbError(m.error.code, `${via} (forwarded): ${m.error.message}`, m.error.details)
  return { key, version: m.version!, acks: m.acks ?? [] }
}

/** Coordinates a write another node forwarded here (never forwarded again) and answers it. */
export function serveForwardedWrite(node: DbNode, m: Extract<Message, { type: 'forward-write' }>): void {
  coordinateWrite(node, m.key, m.value, m.level, true, m.intent).then(
    (out) =>
      node.send(m.from, { type: 'forward-resp', reqId: m.reqId, version: out.version, acks: out.acks }),
    (e: unknown) => node.send(m.from, { type: 'forward-resp', reqId: m.reqId, error: toErrorData(e) }),
  )
}

/** Write rounds per operation at most: the first, a bounded retry, and a spare for a short round. */
const WRITE_ATTEMPTS_MAX = 3

interface RoundResult {
  acks: WriteOutcome['acks']
  errors: DbErrorData[]
  /** The newest version a replica reported holding (only when such reports are not acks). */
  newer: Version | null
  /** How many replicas reported a newer version (not counted in acks). */
  newerCount: number
  /**
   * Stores a hint on this node for every target that did not acknowledge (timed out or was down),
   * now and for the answers still to come: Cassandra writes a hint for every replica that misses the
   * write timeout, so a replica that died just now (before the failure detector noticed) still gets
   * the write handed off when it returns. Called for the round whose op the client is told about.
   */
  hintMisses(): void
}

/**
 * Sends a durable op to its other reachable targets and settles once W have acknowledged (this node
 * counts when it is a target), once acks plus "holds a newer version" reports reach W (when those
 * reports are not acks, `newerIsAck` false), or once every target has answered. Callbacks, not a promise per target: this runs
 * for every write.
 */
function replicate(
  node: DbNode,
  op: Op,
  reachable: readonly SloppyTarget[],
  relayed: readonly SloppyTarget[],
  self: SloppyTarget | undefined,
  w: number,
  newerIsAck: boolean,
): Promise<RoundResult> {
  return new Promise((resolve) => {
    const result: RoundResult = {
      acks: self ? [{ node: node.id, hintedFor: self.hintedFor }] : [],
      errors: [],
      newer: null,
      newerCount: 0,
      hintMisses: () => {
        hinting = true
        for (const t of missed ?? []) hintMiss(node, op, t)
        missed = null
      },
    }
    let missed: SloppyTarget[] | null = null
    let hinting = false
    let left = 0
    let settled = false
    const check = (): void => {
      if (settled) return
      if (result.acks.length >= w || result.acks.length + result.newerCount >= w || left === 0) {
        settled = true
        resolve(result)
      }
    }
    const answer = (t: SloppyTarget, direct: boolean, res: ItemOutcome): void => {
      left--
      // Relayed replicas get no hint: the relays' own logs keep the op for them along the topology.
      if (
        direct &&
        !res.acked &&
        (!res.error || res.error.code === 'TIMEOUT' || res.error.code === 'NODE_DOWN')
      ) {
        if (hinting) hintMiss(node, op, t)
        else {
          missed ??= []
          missed.push(t)
        }
      }
      if (settled) return
      if (res.acked && res.newer && !newerIsAck) {
        result.newerCount++
        if (!result.newer || compareVersions(res.newer, result.newer) > 0) result.newer = res.newer
      } else if (res.acked) result.acks.push({ node: t.node, hintedFor: t.hintedFor })
      else if (res.error) result.errors.push(res.error)
      check()
    }
    for (const t of reachable) {
      if (t.node === node.id) continue
      left++
      node.outbox.send(t.node, { op, hintedFor: t.hintedFor }, (res) => answer(t, true, res))
    }
    // Each relay hop may wait for its own commit: give relayed replicas two request timeouts.
    for (const t of relayed) {
      left++
      node.relayAcks.wait(op.id, t.node, 2 * node.config.requestTimeoutMs, (res) => answer(t, false, res))
    }
    check()
  })
}

/** Keeps `op` as a hint for the owner `t` stands for (best effort: the replication log resends too). */
function hintMiss(node: DbNode, op: Op, t: SloppyTarget): void {
  const owner = t.hintedFor ?? t.node
  if (owner === node.id) return
  node.handoff.storeHint(owner, op).catch(() => {})
}

/**
 * A Lamport clock orders only what its node has seen, so a coordinator that never saw the key's last
 * acknowledged write could stamp a newer write with an older version and LWW would drop it. When
 * R+W>N promises read-your-writes, the coordinator first reads the key's version from N-W+1
 * replicas (they overlap the W replicas of every acknowledged write) and moves its clock past it.
 * Returns who answered (the write fails before anything is written when too few did).
 */
async function raiseClockFromReplicas(
  node: DbNode,
  key: string,
  targets: readonly SloppyTarget[],
  needed: number,
): Promise<NodeId[]> {
  const answered: NodeId[] = []
  const attempts = targets.map(async (t) => {
    let row: RowVersion | null = null
    if (t.node === node.id) row = await node.localRow(key)
    else {
      try {
        row = await node.reads.read(t.node, key)
      } catch {
        return
      }
    }
    if (row) node.clock.receive(row.version.ts)
    answered.push(t.node)
  })
  await waitFor(attempts, () => answered.length >= needed, [])
  return [...answered]
}

/** How long a read waits for its R replicas before asking one more (a quarter of the request timeout). */
function speculativeReadMs(node: DbNode): number {
  return Math.max(1, Math.round(node.config.requestTimeoutMs / 4))
}

/** Coordinates a read: R replies, newest wins, stale replicas repaired. */
export async function coordinateRead(
  node: DbNode,
  key: string,
  level?: ConsistencyLevel,
): Promise<ReadOutcome> {
  assertKey(key)
  assertKeySize(key, node.config.keyBytesMax)
  if (level === 'ANY') throw dbError('BAD_INPUT', 'consistency ANY is for writes only')
  const { r, n } = quorumFor(node, level)
  const { owners, readable, readOrder: order } = node.routes.route(key, n)
  if (readable.length < r) {
    throw dbError(
      'QUORUM_NOT_MET',
      `read needs ${r} of ${n} replicas but only ${readable.length} are reachable`,
      { needed: r, answered: [], owners: [...owners] },
    )
  }
  const replies: Array<{ node: NodeId; row: RowVersion | null }> = []
  const errors: DbErrorData[] = []
  // Ask R replicas (this node first when it is one, then healthy ones in preference order); ask the
  // next target when one fails, or when the R answers are slow (speculative retry, as Cassandra's):
  // reads cost R round trips, not N, and one slow link does not hold a read up.
  let next = 0
  const ask = async (): Promise<void> => {
    while (next < order.length) {
      const t = order[next++]
      try {
        const row = t.node === node.id ? await node.localRow(key) : await node.reads.read(t.node, key)
        replies.push({ node: t.node, row })
        return
      } catch (e) {
        errors.push(toErrorData(e))
      }
    }
  }
  let running = 0
  let speculative: TimerHandle | undefined
  await new Promise<void>((resolve) => {
    const launch = (): void => {
      running++
      void ask().finally(() => {
        running--
        if (replies.length >= r || running === 0) resolve()
      })
    }
    for (let i = 0; i < Math.min(r, order.length); i++) launch()
    speculative = node.env.timers.set(speculativeReadMs(node), () => {
      if (replies.length < r && next < order.length) launch()
    })
  })
  if (speculative !== undefined) node.env.timers.clear(speculative)
  if (replies.length < r) {
    throw dbError(
      'QUORUM_NOT_MET',
      `read got ${replies.length} of ${r} required replies (${replies.map((x) => x.node).join(', ') || 'none'})`,
      {
        needed: r,
        answered: replies.map((x) => x.node),
        owners,
      },
    )
  }
  const answered = replies.slice()
  const best = node.conflict.combine(
    key,
    answered.map((x) => x.row),
  )
  const repaired = best
    ? answered.filter((x) => node.conflict.behind(key, x.row, best)).map((x) => x.node)
    : []
  if (best && repaired.length > 0 && node.config.readRepair !== 'off') {
    node.stats.readRepairs += repaired.length
    node.emit({ type: 'read-repair', key, detail: `repaired ${repaired.join(', ')}` })
    const repairs = repaired.map((p) => repairReplica(node, p, best))
    if (node.config.readRepair === 'blocking') await Promise.allSettled(repairs)
  }
  const out: ReadOutcome = {
    key,
    row: best,
    replies: answered.map((x) => replyOf(node, key, x.node, x.row)),
    repaired: node.config.readRepair === 'off' ? [] : repaired,
  }
  const view = node.conflict.present(key, best)
  if (view) out.view = view
  return out
}

async function repairReplica(node: DbNode, peer: NodeId, row: RowVersion): Promise<void> {
  if (peer === node.id) {
    await node.applyRow(row)
    return
  }
  const { reqId, reply } = node.requests.start(peer, node.config.requestTimeoutMs)
  node.send(peer, { type: 'repair', rows: [row], reqId })
  await reply
}

/** Resolves when `done()` holds or every attempt has settled; attempt failures are collected. */
function waitFor(attempts: Array<Promise<void>>, done: () => boolean, errors: DbErrorData[]): Promise<void> {
  return new Promise((resolve) => {
    let left = attempts.length
    if (left === 0 || done()) resolve()
    for (const a of attempts) {
      a.catch((e) => void errors.push(toErrorData(e))).finally(() => {
        left--
        if (done() || left === 0) resolve()
      })
    }
  })
}

/** A replica's reply as the client sees it; a merging key's carries what that replica holds. */
function replyOf(node: DbNode, key: string, from: NodeId, row: RowVersion | null): ReadReply {
  const reply: ReadReply = { node: from, version: row?.version ?? null }
  if (row === null || !node.conflict.merges(key)) return reply
  const view = node.conflict.present(key, row)
  if (view?.kind === 'vector') reply.siblings = view.siblings.length
  else if (view?.kind === 'crdt') reply.crdt = { value: view.value, state: view.state }
  return reply
}
