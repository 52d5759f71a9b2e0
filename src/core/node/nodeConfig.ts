/** Everything a node needs to know about the cluster it belongs to; plain JSON (sent to workers). */
import type { ConsistencyMode, CrdtType } from '../conflict/types'
import type { NodeId } from '../ids'
import type { ConsistencyLevel } from '../quorum/consistency'
import type { TimestampSource } from '../replication/lamportClock'
import type { TxIsolation, TxLockStrategy } from '../tx/types'

export interface NodeConfig {
  /** Every member, in index order. */
  members: NodeId[]
  /** Replication graph (sender → receivers); null = all-to-all. */
  topology: Record<string, NodeId[]> | null
  /** The ring, as produced by ringToJson. */
  ring: unknown
  replicationFactor: number
  writeQuorum: number
  readQuorum: number
  consistency?: ConsistencyLevel
  sloppyQuorum: boolean
  heartbeatIntervalMs: number
  heartbeatTimeoutMs: number
  requestTimeoutMs: number
  resendIntervalMs: number
  resendBackoffMaxMs: number
  replicateBatchMax: number
  syncIntervalMs: number
  hintWindowMs: number
  hintReplayBytesPerSec: number
  readRepair: 'blocking' | 'async' | 'off'
  antiEntropyIntervalMs: number
  /** log2 of Merkle leaves per token range; must be equal on every node (default NODE_DEFAULTS). */
  merkleDepth?: number
  /** log2 of the Merkle fan-out (1 = binary); depth must be a multiple of it. */
  merkleArityBits?: number
  timestampSource: TimestampSource
  /** Largest value and key, in UTF-8 bytes (core/limits.ts). */
  valueBytesMax: number
  keyBytesMax: number
  memtableBytesMax: number
  tombstoneGraceMs: number
  blockCacheBytesMax: number
  /** 'owner': only a key's owners coordinate its client ops (ownerRouting.ts); absent = 'any'. */
  routing?: 'any' | 'owner'
  /** With routing 'owner': forward a client op to an owner instead of answering NOT_OWNER. */
  forwarding?: boolean
  /** Fields of JSON values this node indexes (secondary indexes, query/secondaryIndex.ts). */
  indexFields?: string[]
  /** Rows the read cache holds (0 or absent = no cache). */
  cacheSize?: number
  /** How concurrent writes resolve (conflict/): 'lww' when absent. */
  consistencyMode?: ConsistencyMode
  /** 'crdt' mode: the keys that are CRDTs, and their types (other keys are LWW). */
  crdtConfig?: Record<string, CrdtType>
  /** 'vector' mode: siblings per key at most (the oldest are merged away past it). */
  siblingsMax?: number
  /** Transactions (core/tx): isolation, lock strategy, lock wait and lease; TX_DEFAULTS when absent. */
  txIsolation?: TxIsolation
  txLockStrategy?: TxLockStrategy
  lockTimeoutMs?: number
  txLeaseMs?: number
  /** Bound of the adaptive batching windows of group commits and replicate batches (ms; 0/absent = off). */
  batchWindowMsMax?: number
}

/** Defaults shared by both runtimes (times in ms of the node's clock; virtual in the simulator). */
export const NODE_DEFAULTS = {
  heartbeatIntervalMs: 250,
  heartbeatTimeoutMs: 1500,
  requestTimeoutMs: 1000,
  resendIntervalMs: 200,
  resendBackoffMaxMs: 3000,
  replicateBatchMax: 256,
  syncIntervalMs: 5000,
  hintWindowMs: 3 * 60 * 60 * 1000,
  hintReplayBytesPerSec: 1_000_000,
  readRepair: 'blocking',
  antiEntropyIntervalMs: 10_000,
  merkleDepth: 10,
  merkleArityBits: 2,
  timestampSource: 'lamport',
  valueBytesMax: 1024 * 1024,
  keyBytesMax: 4096,
  memtableBytesMax: 4 * 1024 * 1024,
  tombstoneGraceMs: 10 * 60 * 1000,
  blockCacheBytesMax: 8 * 1024 * 1024,
  sloppyQuorum: true,
  partitionsPerNode: 16,
  batchWindowMsMax: 4,
} as const
