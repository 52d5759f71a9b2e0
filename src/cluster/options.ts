/** Validates ClusterOptions and derives each node's NodeConfig; shared by both runtimes. */
import { SIBLINGS_MAX_DEFAULT } from '../core/conflict'
import { dbError } from '../core/errors'
import { type NodeId, nodeId, nodeIndex } from '../core/ids'
import { NODE_DEFAULTS, type NodeConfig } from '../core/node/nodeConfig'
import { levelToQuorum, majority } from '../core/quorum/consistency'
import { seededRandom } from '../core/random'
import type { HashRing } from '../core/ring/hashRing'
import { buildPlacementRing, type Placement, RING_PLACEMENT, rangePlacement } from '../core/ring/placement'
import { ringToJson } from '../core/ring/ringJson'
import { showValue } from '../core/suggest'
import { TX_DEFAULTS } from '../core/tx/types'
import { checkOptionShapes, NUM_NODES_MAX } from './optionRules'
import type { ClusterOptions, ResolvedClusterOptions, Topology } from './types'

export { NUM_NODES_MAX }

/** Cluster size up to which the heartbeat defaults apply unscaled (see resolveOptions). */
const HEARTBEAT_NODES_AT_DEFAULT = 8

function int(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw dbError('BAD_CONFIG', `${name} must be an integer, got ${JSON.stringify(v)}`, { [name]: v })
  if (v < min || v > max)
    throw dbError('BAD_CONFIG', `${name} must be between ${min} and ${max}, got ${v}`, { [name]: v })
  return v
}

/** Applies defaults and checks every option; throws BAD_CONFIG with a message naming the option. */
export function resolveOptions(raw: ClusterOptions): ResolvedClusterOptions {
  if (typeof raw !== 'object' || raw === null)
    throw dbError('BAD_CONFIG', 'createCluster needs an options object')
  // Types, static ranges and unknown keys first (optionRules.ts); then defaults and cross-option rules.
  checkOptionShapes(raw as unknown as Record<string, unknown>)
  const runtime = raw.runtime ?? 'worker'
  const numNodes = int('numNodes', raw.numNodes, 1, NUM_NODES_MAX)
  const replicationFactor = int('replicationFactor', raw.replicationFactor ?? numNodes, 1, numNodes)
  const fromLevel = raw.consistency ? levelToQuorum(raw.consistency, replicationFactor) : null
  const writeQuorum = int('writeQuorum', raw.writeQuorum ?? fromLevel?.w ?? majority(replicationFactor), 1)
  const readQuorum = int('readQuorum', raw.readQuorum ?? fromLevel?.r ?? majority(replicationFactor), 1)
  if (writeQuorum > replicationFactor)
    throw dbError('BAD_CONFIG', `writeQuorum ${writeQuorum} > replicationFactor ${replicationFactor}`)
  if (readQuorum > replicationFactor)
    throw dbError('BAD_CONFIG', `readQuorum ${readQuorum} > replicationFactor ${replicationFactor}`)
  const topology = raw.topology === undefined ? undefined : validateTopology(raw.topology, numNodes)
  // Every node pings every quiet peer, so idle heartbeat traffic grows as n²: past 8 nodes the default
  // interval and timeout stretch with n (16 nodes: 500 ms / 3 s; 32: 1 s / 6 s), as gossip-based
  // detectors slow down with cluster size. Explicit values are kept as given.
  const heartbeatScale = Math.max(1, numNodes / HEARTBEAT_NODES_AT_DEFAULT)
  const heartbeatIntervalMs = int(
    'heartbeatIntervalMs',
    raw.heartbeatIntervalMs ?? Math.round(NODE_DEFAULTS.heartbeatIntervalMs * heartbeatScale),
    1,
  )
  const heartbeatTimeoutMs = int(
    'heartbeatTimeoutMs',
    raw.heartbeatTimeoutMs ?? Math.round(NODE_DEFAULTS.heartbeatTimeoutMs * heartbeatScale),
    1,
  )
  if (heartbeatTimeoutMs <= heartbeatIntervalMs)
    throw dbError(
      'BAD_CONFIG',
      `heartbeatTimeoutMs ${heartbeatTimeoutMs} must exceed heartbeatIntervalMs ${heartbeatIntervalMs}`,
    )
  const readRepair = raw.readRepair ?? NODE_DEFAULTS.readRepair
  const timestampSource = raw.timestampSource ?? NODE_DEFAULTS.timestampSource
  return {
    runtime,
    numNodes,
    seed: int('seed', raw.seed ?? 1, 0, 2 ** 32 - 1),
    replicationFactor,
    writeQuorum,
    readQuorum,
    consistency: raw.consistency,
    sloppyQuorum: raw.sloppyQuorum ?? NODE_DEFAULTS.sloppyQuorum,
    topology,
    ...partitioning(raw, numNodes, replicationFactor),
    maxTransferRate: raw.maxTransferRate ?? 0,
    routing: raw.routing ?? 'any',
    enableForwarding: raw.enableForwarding ?? false,
    partitionsPerNode: int(
      'partitionsPerNode',
      raw.partitionsPerNode ?? NODE_DEFAULTS.partitionsPerNode,
      1,
      1024,
    ),
    heartbeatIntervalMs,
    heartbeatTimeoutMs,
    memtableBytesMax: int('memtableBytesMax', raw.memtableBytesMax ?? NODE_DEFAULTS.memtableBytesMax, 1024),
    tombstoneGraceMs: int('tombstoneGraceMs', raw.tombstoneGraceMs ?? NODE_DEFAULTS.tombstoneGraceMs, 0),
    valueBytesMax: raw.valueBytesMax ?? NODE_DEFAULTS.valueBytesMax,
    keyBytesMax: raw.keyBytesMax ?? NODE_DEFAULTS.keyBytesMax,
    hintWindowMs: int('hintWindowMs', raw.hintWindowMs ?? NODE_DEFAULTS.hintWindowMs, 0),
    hintReplayBytesPerSec: int(
      'hintReplayBytesPerSec',
      raw.hintReplayBytesPerSec ?? NODE_DEFAULTS.hintReplayBytesPerSec,
      1,
    ),
    readRepair,
    antiEntropyIntervalMs: int(
      'antiEntropyIntervalMs',
      raw.antiEntropyIntervalMs ?? NODE_DEFAULTS.antiEntropyIntervalMs,
      0,
    ),
    timestampSource,
    consistencyMode: raw.consistencyMode ?? 'lww',
    crdtConfig: { ...(raw.crdtConfig ?? {}) },
    siblingsMax: raw.siblingsMax ?? SIBLINGS_MAX_DEFAULT,
    merkleDepth: int('merkleDepth', raw.merkleDepth ?? NODE_DEFAULTS.merkleDepth, 1, 20),
    merkleArityBits: int('merkleArityBits', raw.merkleArityBits ?? NODE_DEFAULTS.merkleArityBits, 1, 4),
    persist: raw.persist ?? true,
    dbPrefix: raw.dbPrefix ?? 'distdb',
    indexFields: [...new Set(raw.indexFields ?? [])],
    globalIndexFields: [...new Set(raw.globalIndexFields ?? [])],
    cacheSize: raw.cacheSize ?? 0,
    isolation: raw.isolation ?? TX_DEFAULTS.isolation,
    txLockStrategy: raw.txLockStrategy ?? TX_DEFAULTS.lockStrategy,
    lockTimeoutMs: raw.lockTimeoutMs ?? TX_DEFAULTS.lockTimeoutMs,
    txLeaseMs: raw.txLeaseMs ?? TX_DEFAULTS.leaseMs,
    batchWindowMsMax: raw.batchWindowMsMax ?? NODE_DEFAULTS.batchWindowMsMax,
  }
}

function validateTopology(t: Topology, numNodes: number): Topology {
  if (typeof t !== 'object' || t === null || Array.isArray(t))
    throw dbError('BAD_CONFIG', 'topology must map node index → list of indexes')
  const out: Topology = {}
  for (const [from, tos] of Object.entries(t)) {
    const f = Number(from)
    if (!Number.isInteger(f) || f < 0 || f >= numNodes)
      throw dbError('BAD_CONFIG', `topology names node ${from}, but there are ${numNodes} nodes`)
    if (!Array.isArray(tos)) throw dbError('BAD_CONFIG', `topology[${from}] must be a list of node indexes`)
    for (const to of tos) {
      if (!Number.isInteger(to) || to < 0 || to >= numNodes)
        throw dbError('BAD_CONFIG', `topology[${from}] names node ${to}, but there are ${numNodes} nodes`)
    }
    out[f] = [...tos]
  }
  return out
}

/** The topology for the current members (null = all-to-all); validated against existing indexes. */
export function topologyFor(
  topology: Topology | null | undefined,
  members: readonly NodeId[],
): Record<string, NodeId[]> | null {
  if (!topology) return null
  if (typeof topology !== 'object' || Array.isArray(topology))
    throw dbError('BAD_CONFIG', `topology must map node index → list of indexes, got ${showValue(topology)}`)
  const known = new Set(members.map(nodeIndex))
  const out: Record<string, NodeId[]> = {}
  for (const [from, tos] of Object.entries(topology)) {
    const f = Number(from)
    if (!known.has(f)) throw dbError('BAD_CONFIG', `topology names node ${from}, which is not a member`)
    if (!Array.isArray(tos)) throw dbError('BAD_CONFIG', `topology[${from}] must be a list of node indexes`)
    for (const to of tos)
      if (!known.has(to))
        throw dbError('BAD_CONFIG', `topology[${from}] names node ${to}, which is not a member`)
    out[nodeId(f)] = tos.map((i) => nodeId(i))
  }
  return out
}

/** The partition strategy and its options, checked against each other and the cluster size. */
function partitioning(
  raw: ClusterOptions,
  numNodes: number,
  replicationFactor: number,
): Pick<ResolvedClusterOptions, 'partitionStrategy' | 'numPartitions' | 'keyRanges' | 'tokenAssignment'> {
  const partitionStrategy = raw.partitionStrategy ?? 'ring'
  // 'random' is accepted everywhere: resolved options (which carry it) must resolve again.
  if (partitionStrategy !== 'ring' && raw.tokenAssignment === 'balanced')
    throw dbError(
      'BAD_CONFIG',
      `tokenAssignment 'balanced' is for partitionStrategy 'ring' (this cluster uses '${partitionStrategy}')`,
    )
  const tokenAssignment = raw.tokenAssignment ?? 'random'
  if (partitionStrategy !== 'hash' && raw.numPartitions !== undefined)
    throw dbError(
      'BAD_CONFIG',
      `numPartitions is for partitionStrategy 'hash' (this cluster uses '${partitionStrategy}')`,
    )
  if (partitionStrategy !== 'range' && raw.keyRanges !== undefined)
    throw dbError(
      'BAD_CONFIG',
      `keyRanges is for partitionStrategy 'range' (this cluster uses '${partitionStrategy}')`,
    )
  const numPartitions = raw.numPartitions ?? 128
  if (partitionStrategy === 'hash' && replicationFactor > 1 && numPartitions < numNodes)
    throw dbError(
      'BAD_CONFIG',
      `numPartitions ${numPartitions} < ${numNodes} nodes with replicationFactor ${replicationFactor}: some nodes would hold no partition`,
    )
  if (partitionStrategy === 'range') {
    if (raw.keyRanges === undefined) throw dbError('BAD_CONFIG', "partitionStrategy 'range' needs keyRanges")
    rangePlacement(raw.keyRanges)
  }
  if (partitionStrategy === 'hash') return { partitionStrategy, numPartitions, tokenAssignment }
  if (partitionStrategy === 'range')
    return {
      partitionStrategy,
      tokenAssignment,
      keyRanges: raw.keyRanges?.map((r): [string, string | null] => [r[0], r[1]]),
    }
  return { partitionStrategy, tokenAssignment }
}

/** The placement the options describe (placement.ts). */
export function placementFor(opts: ResolvedClusterOptions): Placement {
  if (opts.partitionStrategy === 'hash')
    return Object.freeze({ kind: 'hash', partitions: opts.numPartitions ?? 128 })
  if (opts.partitionStrategy === 'range') return rangePlacement(opts.keyRanges ?? [])
  return RING_PLACEMENT
}

/** The initial ring for a cluster (tokens drawn from the cluster seed; partitions round-robin). */
export function initialRing(opts: ResolvedClusterOptions, members: NodeId[]): HashRing {
  return buildPlacementRing(
    placementFor(opts),
    members,
    opts.partitionsPerNode,
    seededRandom(opts.seed ^ 0x5eed),
    opts.tokenAssignment,
  )
}

/** Per-node configuration derived from the cluster options. */
export function nodeConfigFor(opts: ResolvedClusterOptions, members: NodeId[], ring: HashRing): NodeConfig {
  const topology = topologyFor(opts.topology, members)
  return {
    members,
    topology,
    ring: ringToJson(ring),
    replicationFactor: opts.replicationFactor,
    writeQuorum: opts.writeQuorum,
    readQuorum: opts.readQuorum,
    consistency: opts.consistency,
    sloppyQuorum: opts.sloppyQuorum,
    heartbeatIntervalMs: opts.heartbeatIntervalMs,
    heartbeatTimeoutMs: opts.heartbeatTimeoutMs,
    requestTimeoutMs: NODE_DEFAULTS.requestTimeoutMs,
    resendIntervalMs: NODE_DEFAULTS.resendIntervalMs,
    resendBackoffMaxMs: NODE_DEFAULTS.resendBackoffMaxMs,
    replicateBatchMax: NODE_DEFAULTS.replicateBatchMax,
    syncIntervalMs: NODE_DEFAULTS.syncIntervalMs,
    hintWindowMs: opts.hintWindowMs,
    hintReplayBytesPerSec: opts.hintReplayBytesPerSec,
    readRepair: opts.readRepair,
    antiEntropyIntervalMs: opts.antiEntropyIntervalMs,
    timestampSource: opts.timestampSource,
    merkleDepth: opts.merkleDepth,
    merkleArityBits: opts.merkleArityBits,
    valueBytesMax: opts.valueBytesMax,
    keyBytesMax: opts.keyBytesMax,
    memtableBytesMax: opts.memtableBytesMax,
    tombstoneGraceMs: opts.tombstoneGraceMs,
    blockCacheBytesMax: NODE_DEFAULTS.blockCacheBytesMax,
    routing: opts.routing,
    forwarding: opts.enableForwarding,
    indexFields: opts.indexFields,
    cacheSize: opts.cacheSize,
    batchWindowMsMax: opts.batchWindowMsMax,
    consistencyMode: opts.consistencyMode,
    crdtConfig: opts.crdtConfig,
    siblingsMax: opts.siblingsMax,
    txIsolation: opts.isolation,
    txLockStrategy: opts.txLockStrategy,
    lockTimeoutMs: opts.lockTimeoutMs,
    txLeaseMs: opts.txLeaseMs,
  }
}

/** Resolves a node reference (index or `node_<i>` id) against the members; UNKNOWN_NODE otherwise. */
export function resolveNodeRef(ref: unknown, members: readonly NodeId[]): NodeId {
  if (typeof ref === 'number') {
    const id = Number.isInteger(ref) && ref >= 0 ? members.find((m) => nodeIndex(m) === ref) : undefined
    if (id) return id
    throw dbError('UNKNOWN_NODE', `no node with index ${ref} (members: ${members.join(', ')})`)
  }
  if (typeof ref === 'string' && (members as readonly string[]).includes(ref)) return ref as NodeId
  throw dbError('UNKNOWN_NODE', `no node ${JSON.stringify(ref)} (known: ${members.join(', ')})`)
}
