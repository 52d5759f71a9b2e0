/**
 * Node-to-node messages: a versioned discriminated union. Every switch over `type` ends in
 * `assertNever`, so adding a message without handling it fails to compile.
 */
import type { ReadView, WriteIntent } from '../conflict/types'
import type { DbErrorData } from '../errors'
import type { NodeId, OpId } from '../ids'
import type { ConsistencyLevel } from '../quorum/consistency'
import type { DotCloudJson } from '../replication/dotCloud'
import type { Op, Version } from '../replication/version'
import type { TxPeerBody, TxPeerReply } from '../tx/types'

export const PROTOCOL_VERSION = 1 as const

/** One op pushed to a peer; `hintedFor` makes the receiver a stand-in that keeps it as a hint. */
export interface ReplicateItem {
  op: Op
  hintedFor?: NodeId
}

/** A row as a replica holds it (reads, read repair, Merkle streaming). */
export interface RowVersion {
  key: string
  value: string | null
  tombstone: boolean
  version: Version
  writtenAtMs: number
}

/** A Merkle tree's shape as sent on the wire: both replicas must agree on it to compare. */
export interface MerkleShapeWire {
  startExclusive: string
  endInclusive: string
  depth: number
  arityBits: number
}

export type MessageBody =
  | { type: 'ping'; seq: number }
  | { type: 'pong'; seq: number }
  /** Push of ops (replication log, coordinator writes, relays, hint replay). `reqId` asks for a reply. */
  | {
      type: 'replicate'
      items: ReplicateItem[]
      reqId?: number
      skip?: { origin: NodeId; from: number; to: number }
      /** Seqs of these origins that were never allocated (each resumed past them on its last open). */
      gaps?: Array<{ origin: NodeId; from: number; to: number }>
    }
  /** Which of the pushed ops the receiver now holds (applied, discarded as older, or kept as a hint). */
  | {
      type: 'replicate-ack'
      ids: OpId[]
      reqId?: number
      error?: DbErrorData
      /** For a coordinator's request: ops this replica holds a newer version of the key than. */
      newer?: Array<{ id: OpId; version: Version }>
    }
  /**
   * To an op's origin, from a replica that got it through a relay (topologies): it holds these ops
   * now, so the origin's write can count it toward W (`newer`: as in replicate-ack).
   */
  | { type: 'relay-ack'; ids: OpId[]; newer?: Array<{ id: OpId; version: Version }> }
  /**
   * A write this node's topology cannot take to W replicas, handed to a node that can (topologies
   * only; the receiver coordinates it and never forwards it again).
   */
  | {
      type: 'forward-write'
      reqId: number
      key: string
      value: string | null
      level?: ConsistencyLevel
      /** A vector write's context or a CRDT op (conflict/). */
      intent?: WriteIntent
    }
  | {
      type: 'forward-resp'
      reqId: number
      version?: Version
      acks?: Array<{ node: NodeId; hintedFor?: NodeId }>
      error?: DbErrorData
    }
  /**
   * A client read handed to a key's owner (forwarding, the router, token-aware workloads): the
   * receiver coordinates it and answers with the outcome; never forwarded again.
   */
  | { type: 'forward-read'; reqId: number; key: string; level?: ConsistencyLevel }
  | {
      type: 'forward-read-resp'
      reqId: number
      read?: {
        key: string
        row: RowVersion | null
        replies: Array<{ node: NodeId; version: Version | null }>
        repaired: NodeId[]
        view?: ReadView
      }
      error?: DbErrorData
    }
  /** Pull sync (the seed's FetchUpdates): "here is what I have seen; send what I miss". */
  | { type: 'fetch-updates'; seen: DotCloudJson }
  /** A batch of key reads (all the reads a coordinator sends one peer in one tick). */
  | { type: 'read-req'; reqId: number; keys: string[] }
  | { type: 'read-resp'; reqId: number; rows: Array<RowVersion | null>; error?: DbErrorData }
  /** Read repair and Merkle streaming: rows to merge by the conflict mode. */
  | { type: 'repair'; rows: RowVersion[]; reqId?: number }
  | { type: 'repair-ack'; reqId?: number; applied: number }
  /** Anti-entropy: the initiator asks for one level's hashes; `shape` must match the peer's tree. */
  | {
      type: 'merkle-req'
      reqId: number
      rangeIndex: number
      shape: MerkleShapeWire
      level: number
      indices: number[]
    }
  | {
      type: 'merkle-resp'
      reqId: number
      rangeIndex: number
      level: number
      hashes: number[]
      error?: DbErrorData
    }
  /** The initiator's rows of mismatched leaves; the peer merges them and replies with its own. */
  | {
      type: 'merkle-rows-req'
      reqId: number
      rangeIndex: number
      shape: MerkleShapeWire
      leaves: number[]
      rows: RowVersion[]
    }
  | { type: 'merkle-rows-resp'; reqId: number; rows: RowVersion[]; error?: DbErrorData }
  | { type: 'ring-update'; ring: unknown }
  /**
   * A range read (getRange, globalQuery): the rows this replica holds in [start, end), tombstones
   * included so the coordinator can let a delete win; `truncated` when `limit` cut the scan.
   */
  | { type: 'range-req'; reqId: number; start: string; end: string; limit: number }
  | { type: 'range-resp'; reqId: number; rows: RowVersion[]; truncated: boolean; error?: DbErrorData }
  /** Transactions (core/tx): a coordinator's body to a lock owner or replica, and its reply. */
  | { type: 'tx'; reqId: number; body: TxPeerBody }
  | { type: 'tx-resp'; reqId: number; body?: TxPeerReply; error?: DbErrorData }

/**
 * Set by the worker host on the few messages it samples for the space-time diagram: when the sender
 * sent it (its unskewed clock) and the sender's Lamport clock then. Nodes ignore it.
 */
export interface WireTrace {
  sentMs: number
  lamport: number
}

export type Message = MessageBody & { v: typeof PROTOCOL_VERSION; from: NodeId; trace?: WireTrace }
export type MessageType = MessageBody['type']

/** Exhaustiveness check for switches over unions. */
export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`)
}

/** Rough wire size of a message in bytes (for traffic stats and throttling). */
export function messageBytes(m: Message): number {
  switch (m.type) {
    case 'replicate':
      return 32 + m.items.reduce((s, i) => s + i.op.key.length + (i.op.value?.length ?? 0) + 48, 0)
    case 'repair':
    case 'merkle-rows-req':
    case 'merkle-rows-resp':
    case 'range-resp':
      return 32 + m.rows.reduce((s, r) => s + r.key.length + (r.value?.length ?? 0) + 40, 0)
    case 'tx':
      return m.body.kind === 'apply' || m.body.kind === 'decide'
        ? 32 + m.body.rows.reduce((s, r) => s + r.key.length + (r.value?.length ?? 0) + 40, 0)
        : 64
    case 'read-resp':
      return 32 + m.rows.reduce((s, r) => s + (r ? r.key.length + (r.value?.length ?? 0) + 40 : 4), 0)
    case 'merkle-resp':
      return 32 + m.hashes.length * 4
    case 'merkle-req':
      return 32 + m.indices.length * 4
    case 'replicate-ack':
    case 'relay-ack':
      return 32 + m.ids.length * 12
    default:
      return 32
  }
}
