/**
 * Who coordinates a client operation. With routing 'any' (the default) every node does, Dynamo style.
 * With routing 'owner' only the key's N natural owners do: a node that is not one answers a direct
 * client op with a coded NOT_OWNER carrying the partition, its owners and the map version it routes by
 * (a driver refreshes its map and retries), or, with forwarding on, hands the op to an owner (a read
 * too) and returns that owner's answer. Forwarded ops are coordinated where they land, never forwarded
 * again.
 */
import type { WriteIntent } from '../conflict/types'
import { dbError, toErrorData } from '../errors'
import type { NodeId } from '../ids'
import type { Message } from '../protocol/messages'
import type { ConsistencyLevel } from '../quorum/consistency'
import { partitionIdOf } from '../ring/placement'
import {
  coordinateRead,
  coordinateWrite,
  forwardWrite,
  quorumFor,
  type ReadOutcome,
  type WriteOutcome,
} from './coordinator'
import type { DbNode } from './dbNode'

/**
 * Where a client op on `key` is coordinated: null = here; a node id = forward to that owner.
 * Throws NOT_OWNER when this node does not own the key and must not forward.
 */
export function ownerFor(node: DbNode, key: string, level: ConsistencyLevel | undefined): NodeId | null {
  if (node.config.routing !== 'owner') return null
  const { owners } = node.routes.route(key, quorumFor(node, level).n)
  if (owners.includes(node.id)) return null
  const details = {
    key: key.slice(0, 200),
    partitionId: partitionIdOf(node.ring, key),
    mapVersion: node.ring.version,
    owners: [...owners],
  }
  if (node.config.forwarding) return ownerToAsk(node, key, level)
  throw dbError(
    'NOT_OWNER',
    `${node.id} does not own this key (owners ${owners.join(', ')}, map version ${node.ring.version}); send it to an owner or enable forwarding`,
    details,
  )
}

/** A client write or delete arriving at this node: coordinated here, forwarded, or NOT_OWNER. */
export function clientWrite(
  node: DbNode,
  key: string,
  value: string | null,
  level?: ConsistencyLevel,
  intent?: WriteIntent,
): Promise<WriteOutcome> {
  let via: NodeId | null
  try {
    via = ownerFor(node, key, level)
  } catch (e) {
    return Promise.reject(e)
  }
  return via
    ? forwardWrite(node, via, key, value, level, intent)
    : coordinateWrite(node, key, value, level, false, intent)
}

/** A client read arriving at this node: coordinated here, forwarded to an owner, or NOT_OWNER. */
export function clientRead(node: DbNode, key: string, level?: ConsistencyLevel): Promise<ReadOutcome> {
  let via: NodeId | null
  try {
    via = ownerFor(node, key, level)
  } catch (e) {
    return Promise.reject(e)
  }
  return via ? forwardRead(node, via, key, level) : coordinateRead(node, key, level)
}

/** A healthy owner of `key` to coordinate it (the first owner if none looks healthy); null = this node owns it. */
function ownerToAsk(node: DbNode, key: string, level: ConsistencyLevel | undefined): NodeId | null {
  const { owners } = node.routes.route(key, quorumFor(node, level).n)
  if (owners.includes(node.id)) return null
  return owners.find((o) => node.fd.healthy(o)) ?? owners[0]
}

/**
 * "Does this node own `key`", memoised until the ring changes (at most `keysMax` keys): the filter of
 * a token-aware workload generator on this node (WorkloadClient.owns), which draws ~N÷nodes of its
 * candidates as owned, so the check runs several times per issued op.
 */
export function ownedKeyFilter(
  node: DbNode,
  level?: ConsistencyLevel,
  keysMax = 100_000,
): (key: string) => boolean {
  let ring = node.ring
  let memo = new Map<string, boolean>()
  return (key) => {
    if (node.ring !== ring || memo.size >= keysMax) {
      ring = node.ring
      memo = new Map()
    }
    let owned = memo.get(key)
    if (owned === undefined) {
      owned = ownerToAsk(node, key, level) === null
      memo.set(key, owned)
    }
    return owned
  }
}

/**
 * Token-aware ops issued on this node (the dashboard's token-aware workload): coordinated by one of
 * the key's owners, here when this node is one, else by an owner it forwards the op to.
 */
export function ownerWrite(
  node: DbNode,
  key: string,
  value: string | null,
  level?: ConsistencyLevel,
): Promise<WriteOutcome> {
  const via = ownerToAsk(node, key, level)
  return via ? forwardWrite(node, via, key, value, level) : coordinateWrite(node, key, value, level)
}

export function ownerRead(node: DbNode, key: string, level?: ConsistencyLevel): Promise<ReadOutcome> {
  const via = ownerToAsk(node, key, level)
  return via ? forwardRead(node, via, key, level) : coordinateRead(node, key, level)
}

/** Asks `via` (an owner) to coordinate a read and returns its outcome. */
export async function forwardRead(
  node: DbNode,
  via: NodeId,
  key: string,
  level: ConsistencyLevel | undefined,
): Promise<ReadOutcome> {
  // The owner's read may itself wait for a speculative retry and a blocking repair.
  const { reqId, reply } = node.requests.start(via, 3 * node.config.requestTimeoutMs)
  node.send(via, { type: 'forward-read', reqId, key, level })
  const m = await reply
  if (m.type !== 'forward-read-resp') throw dbError('INTERNAL', `unexpected ${m.type} to a forwarded read`)
  if (m.error) throw dbError(m.error.code, `${via} (forwarded): ${m.error.message}`, m.error.details)
  if (!m.read) throw dbError('INTERNAL', `${via} answered a forwarded read with no outcome`)
  return m.read
}

/** Coordinates a read another node (or the router) handed here, and answers it. */
export function serveForwardedRead(node: DbNode, m: Extract<Message, { type: 'forward-read' }>): void {
  coordinateRead(node, m.key, m.level).then(
    (out) => node.send(m.from, { type: 'forward-read-resp', reqId: m.reqId, read: out }),
    (e: unknown) => node.send(m.from, { type: 'forward-read-resp', reqId: m.reqId, error: toErrorData(e) }),
  )
}
