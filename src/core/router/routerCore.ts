/**
 * The routing node (the seed's "Estágio 6" router): it holds no data, knows the partition map and
 * follows its pushes, and sends every client op straight to one of the key's owners as a
 * forward-write / forward-read, which the owner coordinates. An owner that times out or is down is
 * skipped for the next replica. Host-agnostic like every core module: the simulator runs it as a
 * process on the simulated network, the worker runtime in its own Web Worker (workers/routerWorker.ts).
 */
import type { WriteIntent } from '../conflict/types'
import type { Timers } from '../env'
import { dbError } from '../errors'
import type { NodeId } from '../ids'
import type { ReadOutcome, WriteOutcome } from '../node/coordinator'
import { Requests } from '../node/requests'
import { type Message, type MessageBody, PROTOCOL_VERSION } from '../protocol/messages'
import type { ConsistencyLevel } from '../quorum/consistency'
import { partitionOfKey } from '../ring/mapLookup'
import type { PartitionMap } from '../ring/placement'

export interface RouterEnv {
  id: NodeId
  timers: Timers
  send(to: NodeId, m: Message): void
}

/** How long the router waits for an owner (it coordinates, maybe with a retry and relays). */
export const ROUTER_REQUEST_TIMEOUT_MS = 3000

export class RouterCore {
  private readonly requests: Requests
  private current: PartitionMap
  /** Ops routed per owner (inspection and tests). */
  readonly routedTo: Record<string, number> = {}

  constructor(
    private readonly env: RouterEnv,
    map: PartitionMap,
    private readonly timeoutMs = ROUTER_REQUEST_TIMEOUT_MS,
  ) {
    this.requests = new Requests(env.timers)
    this.current = map
  }

  get id(): NodeId {
    return this.env.id
  }

  get map(): PartitionMap {
    return this.current
  }

  /** Takes a pushed map (older versions are ignored). */
  setMap(map: PartitionMap): void {
    // Equal versions too: cluster.updatePartitionMap() re-sends the current map to a router holding a stale copy.
    if (map.version >= this.current.version) this.current = map
  }

  /** The key's owners by the router's map, primary first. */
  ownersOf(key: string): NodeId[] {
    return this.current.partitions[partitionOfKey(this.current, key)].replicas
  }

  /** Routes a write; `intent` (a vector context, a CRDT op) goes with it for the owner to check. */
  async write(
    key: string,
    value: string | null,
    level?: ConsistencyLevel,
    intent?: WriteIntent,
  ): Promise<WriteOutcome> {
    const m = await this.toOwner(key, (reqId) => {
      const body: MessageBody = { type: 'forward-write', reqId, key, value, level }
      if (intent) body.intent = intent
      return body
    })
    if (m.type !== 'forward-resp') throw dbError('INTERNAL', `unexpected ${m.type} to a routed write`)
    if (m.error) throw dbError(m.error.code, `${m.from} (routed): ${m.error.message}`, m.error.details)
    return { key, version: m.version!, acks: m.acks ?? [] }
  }

  async read(key: string, level?: ConsistencyLevel): Promise<ReadOutcome> {
    const m = await this.toOwner(key, (reqId) => ({ type: 'forward-read', reqId, key, level }))
    if (m.type !== 'forward-read-resp') throw dbError('INTERNAL', `unexpected ${m.type} to a routed read`)
    if (m.error) throw dbError(m.error.code, `${m.from} (routed): ${m.error.message}`, m.error.details)
    if (!m.read) throw dbError('INTERNAL', `${m.from} answered a routed read with no outcome`)
    return m.read
  }

  /** Entry point for the owners' answers. */
  receive(m: Message): void {
    if (m.v !== PROTOCOL_VERSION) return
    if (m.type === 'forward-resp' || m.type === 'forward-read-resp') this.requests.resolve(m.reqId, m)
  }

  get inFlight(): number {
    return this.requests.inFlight
  }

  stop(): void {
    this.requests.failAll(`${this.env.id} stopped`)
  }

  /** Sends the op to the first owner, then the next one when an owner times out or is down. */
  private async toOwner(key: string, body: (reqId: number) => MessageBody): Promise<Message> {
    const owners = this.ownersOf(key)
    let last: unknown
    for (const owner of owners) {
      const { reqId, reply } = this.requests.start(owner, this.timeoutMs)
      this.routedTo[owner] = (this.routedTo[owner] ?? 0) + 1
      this.env.send(owner, { ...body(reqId), v: PROTOCOL_VERSION, from: this.env.id } as Message)
      try {
        return await reply
      } catch (e) {
        last = e
      }
    }
    throw last ?? dbError('QUORUM_NOT_MET', 'no owner to route to')
  }
}
