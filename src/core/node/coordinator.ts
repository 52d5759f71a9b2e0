/**
 * The coordinator: any node can take a client operation. Writes go to the key's preference list
 * (stand-ins with hints under a sloppy quorum) and return after W acknowledgements; reads ask R
 * replicas (one more when one fails or is slow), return the newest version, and repair the stale ones
 * they contacted (blocking or async).
 */
import type { TimerHandle } from '../env'
import { type DbErrorData, dbError, toErrorData } from '../errors'
import { assertKey, type NodeId } from '../ids'
import { assertKeySize, assertValueSize } from '../limits'
import type { RowVersion } from '../protocol/messages'
import { type ConsistencyLevel, levelToQuorum } from '../quorum/consistency'
import type { Op } from '../replication/version'
import { compareVersions, type Version } from '../replication/version'
import type { SloppyTarget } from '../ring/hashRing'
import type { DbNode } from './dbNode'

export interface WriteOutcome {
  key: string
  version: Version
  acks: Array<{ node: NodeId; hintedFor?: NodeId }>
}

export interface ReadOutcome {
  key: string
  row: RowVersion | null
  replies: Array<{ node: NodeId; version: Version | null }>
  repaired: NodeId[]
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
): Promise<WriteOutcome> {
  assertKey(key)
  assertKeySize(key, node.config.keyBytesMax)
  validateValue(node, key, value)
  const { w, r, n } = quorumFor(node, level)
  const { owners, reachable, healthy, self } = node.routes.route(key, n)
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
  // the write goes out optimistically and waits for W answers; a replica that already holds a newer
  // version says so. Among W answers at least one replica also holds every write acknowledged before
  // this one began, so ONE retry stamped past the newest reported version beats all of them. A newer
  // version reported to the retry belongs to a concurrent write, which may be ordered after this one:
  // that replica's answer counts as an ack ("superseded"), so hot keys cannot make writes retry forever.
  // Otherwise (2W <= N) the coordinator first reads the version from N−W+1 replicas, which overlap
  // every write quorum.
  const lamportRyw = r + w > n && node.config.timestampSource === 'lamport'
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
  for (let attempt = 0; ; attempt++) {
    // Log before send: the op is durable here (as a row, a hint, or only in the replication log)
    // before any replica hears of it.
    const op = await node.originate(key, value, !!self && !self.hintedFor, self?.hintedFor)
    const round = await replicate(node, op, reachable, self, w, optimistic && attempt === 0)
    const { acks, errors, newer } = round
    if (newer && acks.length < w) {
      node.clock.receive(newer.ts)
      node.stats.writeRetries++
      continue
    }
    if (acks.length < w) {
      const localError = errors.find((e) => e.code !== 'TIMEOUT' && e.code !== 'NODE_DOWN')
      if (localError && acks.length === 0)
        throw dbError(localError.code, localError.message, localError.details)
      throw dbError(
        'QUORUM_NOT_MET',
        `write got ${acks.length} of ${w} required acks (${acks.map((a) => a.node).join(', ') || 'none'})`,
        { needed: w, answered: acks.map((a) => a.node), owners: [...owners] },
      )
    }
    return { key, version: op.version, acks }
  }
}

interface RoundResult {
  acks: WriteOutcome['acks']
  errors: DbErrorData[]
  /** The newest version a replica reported holding (only when a retry is possible). */
  newer: Version | null
}

/**
 * Sends a durable op to its other reachable targets and settles once W have acknowledged (this node
 * counts when it is a target), once acks plus "holds a newer version" reports reach W (when a retry
 * is possible), or once every target has answered. Callbacks, not a promise per target: this runs
 * for every write.
 */
function replicate(
  node: DbNode,
  op: Op,
  reachable: readonly SloppyTarget[],
  self: SloppyTarget | undefined,
  w: number,
  retryPossible: boolean,
): Promise<RoundResult> {
  return new Promise((resolve) => {
    const result: RoundResult = {
      acks: self ? [{ node: node.id, hintedFor: self.hintedFor }] : [],
      errors: [],
      newer: null,
    }
    let newerCount = 0
    let left = 0
    let settled = false
    const check = (): void => {
      if (settled) return
      if (result.acks.length >= w || result.acks.length + newerCount >= w || left === 0) {
        settled = true
        resolve(result)
      }
    }
    for (const t of reachable) {
      if (t.node === node.id) continue
      left++
      node.outbox.send(t.node, { op, hintedFor: t.hintedFor }, (res) => {
        left--
        if (settled) return
        if (res.acked && res.newer && retryPossible) {
          newerCount++
          if (!result.newer || compareVersions(res.newer, result.newer) > 0) result.newer = res.newer
        } else if (res.acked) result.acks.push({ node: t.node, hintedFor: t.hintedFor })
        else if (res.error) result.errors.push(res.error)
        check()
      })
    }
    check()
  })
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
  const best = newest(answered.map((x) => x.row))
  const repaired = best
    ? answered.filter((x) => !x.row || compareVersions(x.row.version, best.version) < 0).map((x) => x.node)
    : []
  if (best && repaired.length > 0 && node.config.readRepair !== 'off') {
    node.stats.readRepairs += repaired.length
    node.emit({ type: 'read-repair', key, detail: `repaired ${repaired.join(', ')}` })
    const repairs = repaired.map((p) => repairReplica(node, p, best))
    if (node.config.readRepair === 'blocking') await Promise.allSettled(repairs)
  }
  return {
    key,
    row: best,
    replies: answered.map((x) => ({ node: x.node, version: x.row?.version ?? null })),
    repaired: node.config.readRepair === 'off' ? [] : repaired,
  }
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

function newest(rows: Array<RowVersion | null>): RowVersion | null {
  let best: RowVersion | null = null
  for (const r of rows) if (r && (!best || compareVersions(r.version, best.version) > 0)) best = r
  return best
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
