/**
 * A topology-aware client driver (the seed's "Estágio 6" smart client), the same for both runtimes:
 * it caches the partition map and follows its pushes (cluster.onPartitionMap), sends each op straight
 * to one of the key's owners (token-aware: no hop through a non-owner coordinator), refreshes the map
 * and retries once when a node answers NOT_OWNER, spreads reads over the replicas, and keeps
 * per-user sessions: read-your-writes (a read within `readYourWritesTimeoutMs` of the user's write
 * goes to the replica that coordinated it, and is re-read at QUORUM if it comes back older) and
 * monotonic reads (a sticky replica per session, and a version floor per key).
 */
import type { CrdtOp } from '../core/conflict/types'
import { dbError } from '../core/errors'
import type { NodeId } from '../core/ids'
import { compareVersions, type Version } from '../core/replication/version'
import { partitionOfKey } from '../core/ring/mapLookup'
import type { PartitionMap } from '../core/ring/placement'
import { showValue, unknownNameMessage } from '../core/suggest'
import type { Cluster, OpOptions, ReadResult, WriteOptions, WriteResult } from './types'

export interface DriverOptions {
  /** Spread reads over a key's replicas (a sticky one per user session); false: the primary. */
  loadBalanceReads?: boolean
  /** How long after a user's write its reads of that key go to the replica that took it (default 5000). */
  readYourWritesTimeoutMs?: number
}

/** A user's session: null = no session (reads round-robin, no guarantees). */
export type DriverUser = string | null

export interface DriverStats {
  /** Ops sent, per node they were sent to. */
  sentTo: Record<string, number>
  notOwnerRetries: number
  mapRefreshes: number
  /** Reads re-asked at QUORUM because the replica chosen was behind the session. */
  sessionRereads: number
}

export interface Driver {
  /** In 'vector' mode `opts.context` (from a read) replaces the siblings it covers, as Cluster.put. */
  put(user: DriverUser, key: string, value: string, opts?: WriteOptions): Promise<WriteResult>
  get(user: DriverUser, key: string, opts?: OpOptions): Promise<string | null>
  read(user: DriverUser, key: string, opts?: OpOptions): Promise<ReadResult>
  delete(user: DriverUser, key: string, opts?: WriteOptions): Promise<WriteResult>
  /** An op on a CRDT key ('crdt' mode), sent to one of its owners, as Cluster.applyCrdt. */
  applyCrdt(user: DriverUser, key: string, op: CrdtOp, opts?: OpOptions): Promise<WriteResult>
  /** The cached partition map. */
  readonly map: PartitionMap
  /** Fetches the cluster's map now. */
  refresh(): PartitionMap
  /** Replaces the cached map (a saved one; tests make it stale). */
  setMap(map: PartitionMap): void
  readonly stats: DriverStats
  /** Stops following map pushes. */
  close(): void
}

const OPTION_KEYS = ['loadBalanceReads', 'readYourWritesTimeoutMs'] as const
const USER_LENGTH_MAX = 256

interface Session {
  /** Rank of the sticky replica (index into a key's replicas, modulo N). */
  rank: number
  /** Per key: the newest version written or read in this session, and who took the write. */
  keys: Map<string, { version: Version; writer?: NodeId; writtenAtMs?: number }>
}

function validate(opts: unknown): Required<DriverOptions> {
  if (opts === undefined) opts = {}
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts))
    throw dbError('BAD_INPUT', `driver options must be an object, got ${showValue(opts)}`)
  const o = opts as Record<string, unknown>
  for (const k of Object.keys(o))
    if (!(OPTION_KEYS as readonly string[]).includes(k))
      throw dbError('BAD_INPUT', unknownNameMessage('driver option', k, OPTION_KEYS), { option: k })
  if (o.loadBalanceReads !== undefined && typeof o.loadBalanceReads !== 'boolean')
    throw dbError('BAD_INPUT', `loadBalanceReads must be true or false, got ${showValue(o.loadBalanceReads)}`)
  const t = o.readYourWritesTimeoutMs
  if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 0))
    throw dbError('BAD_INPUT', `readYourWritesTimeoutMs must be a number ≥ 0, got ${showValue(t)}`)
  return {
    loadBalanceReads: (o.loadBalanceReads as boolean | undefined) ?? true,
    readYourWritesTimeoutMs: (t as number | undefined) ?? 5000,
  }
}

function checkUser(user: unknown): DriverUser {
  if (user === null) return null
  if (typeof user !== 'string' || user.length === 0 || user.length > USER_LENGTH_MAX)
    throw dbError(
      'BAD_INPUT',
      `a driver user is a non-empty string of at most ${USER_LENGTH_MAX} characters (or null for no session), got ${showValue(user)}`,
    )
  return user
}

export function createDriver(cluster: Cluster, options?: DriverOptions): Driver {
  if (typeof cluster !== 'object' || cluster === null || typeof cluster.getPartitionMap !== 'function')
    throw dbError('BAD_INPUT', 'createDriver needs a cluster')
  const opts = validate(options)
  let map = cluster.getPartitionMap()
  const stats: DriverStats = { sentTo: {}, notOwnerRetries: 0, mapRefreshes: 0, sessionRereads: 0 }
  const sessions = new Map<string, Session>()
  let nextRank = 0
  let roundRobin = 0
  const unsubscribe = cluster.onPartitionMap((m) => {
    if (m.version >= map.version) map = m
  })
  const nowMs = (): number => performance.now()

  const session = (user: DriverUser): Session | null => {
    if (user === null) return null
    let s = sessions.get(user)
    if (!s) {
      s = { rank: nextRank++, keys: new Map() }
      sessions.set(user, s)
    }
    return s
  }
  const up = (n: NodeId): boolean => cluster.nodes.some((x) => x.id === n && x.status === 'up')
  const replicasOf = (key: string): NodeId[] => map.partitions[partitionOfKey(map, key)].replicas
  /** The replica at `rank` among the key's owners, skipping ones that are not up. */
  const pick = (replicas: NodeId[], rank: number): NodeId => {
    for (let i = 0; i < replicas.length; i++) {
      const r = replicas[(rank + i) % replicas.length]
      if (up(r)) return r
    }
    return replicas[rank % replicas.length]
  }
  const refresh = (): PartitionMap => {
    map = cluster.getPartitionMap()
    stats.mapRefreshes++
    return map
  }
  /** Runs `op` on the chosen owner; on NOT_OWNER refreshes the map and retries once. */
  const send = async <T>(
    key: string,
    choose: (replicas: NodeId[]) => NodeId,
    op: (n: NodeId) => Promise<T>,
  ) => {
    const target = choose(replicasOf(key))
    stats.sentTo[target] = (stats.sentTo[target] ?? 0) + 1
    try {
      return { node: target, out: await op(target) }
    } catch (e) {
      if ((e as { code?: string }).code !== 'NOT_OWNER') throw e
      stats.notOwnerRetries++
      refresh()
      const again = choose(replicasOf(key))
      stats.sentTo[again] = (stats.sentTo[again] ?? 0) + 1
      return { node: again, out: await op(again) }
    }
  }

  const write = async (
    user: unknown,
    key: string,
    value: string | null,
    o: WriteOptions = {},
    crdt?: { op: CrdtOp },
  ): Promise<WriteResult> => {
    const s = session(checkUser(user))
    const { node, out } = await send(
      key,
      (r) => pick(r, 0),
      (n) =>
        crdt
          ? cluster.applyCrdt(n, key, crdt.op, o)
          : value === null
            ? cluster.delete(n, key, o)
            : cluster.put(n, key, value, o),
    )
    if (s) {
      const prev = s.keys.get(key)
      if (!prev || compareVersions(out.version, prev.version) >= 0)
        s.keys.set(key, { version: out.version, writer: node, writtenAtMs: nowMs() })
    }
    return out
  }

  const read = async (user: unknown, key: string, o: OpOptions = {}): Promise<ReadResult> => {
    const s = session(checkUser(user))
    const known = s?.keys.get(key)
    const pinned =
      known?.writer &&
      known.writtenAtMs !== undefined &&
      nowMs() - known.writtenAtMs <= opts.readYourWritesTimeoutMs
        ? known.writer
        : null
    const rank = !opts.loadBalanceReads ? 0 : s ? s.rank : roundRobin++
    let { out } = await send(
      key,
      (r) => (pinned && r.includes(pinned) && up(pinned) ? pinned : pick(r, rank)),
      (n) => cluster.read(n, key, o),
    )
    if (s && known && (!out.version || compareVersions(out.version, known.version) < 0)) {
      // The replica is behind what this session wrote or saw: ask a quorum through an owner.
      stats.sessionRereads++
      out = (
        await send(
          key,
          (r) => pick(r, 0),
          (n) => cluster.read(n, key, { ...o, level: 'QUORUM' }),
        )
      ).out
      // Still older (the only replicas holding the session's version are down): refuse rather than
      // break read-your-writes or monotonic reads.
      if (!out.version || compareVersions(out.version, known.version) < 0)
        throw dbError(
          'QUORUM_NOT_MET',
          `no reachable replica holds the version this session wrote or read of ${JSON.stringify(key.slice(0, 40))} (ts ${known.version.ts} by ${known.version.node}); try again later`,
          { key: key.slice(0, 200), sessionVersion: known.version, got: out.version },
        )
    }
    if (s && out.version && (!known || compareVersions(out.version, known.version) > 0))
      s.keys.set(key, { version: out.version })
    return out
  }

  return {
    put: (user, key, value, o) => {
      if (typeof value !== 'string')
        return Promise.reject(dbError('BAD_INPUT', `values are strings, got ${typeof value}`))
      return write(user, key, value, o)
    },
    delete: (user, key, o) => write(user, key, null, o),
    applyCrdt: (user, key, op, o) => write(user, key, null, { level: o?.level }, { op }),
    read,
    get: async (user, key, o) => (await read(user, key, o)).value,
    get map() {
      return map
    },
    refresh,
    setMap: (m) => {
      map = m
    },
    stats,
    close: unsubscribe,
  }
}
