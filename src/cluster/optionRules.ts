/**
 * The type and static range of every ClusterOption, as valibot schemas, each with the human text of
 * what is allowed. `checkOptionShapes` runs them before defaults are applied, so `sloppyQuorum: 'no'`,
 * `persist: 'false'` or `dbPrefix: {}` fail with a coded BAD_CONFIG instead of meaning something else,
 * and an unknown key (`replicationFactr`) names the option it probably meant. Rules that relate two
 * options (W ≤ N, heartbeat timeout > interval, topology indexes < numNodes) stay in options.ts.
 */
import * as v from 'valibot'
import { dbError } from '../core/errors'
import { CONSISTENCY_LEVELS } from '../core/quorum/consistency'
import { PARTITIONS_MAX } from '../core/ring/placement'
import { showValue, unknownNameMessage } from '../core/suggest'
import type { ClusterOptions } from './types'

export const NUM_NODES_MAX = 64
/** Browsers fire a timer whose delay is ≥ 2^31 ms at once, so no delay or period may exceed this. */
export const TIMER_MS_MAX = 2 ** 31 - 1
/** The largest key limit a cluster may set, in UTF-8 bytes (Cassandra's partition keys stop at 64 KiB). */
export const KEY_BYTES_LIMIT = 64 * 1024
/** The largest value limit a cluster may set, in UTF-8 bytes (default 1 MiB, NODE_DEFAULTS). */
export const VALUE_BYTES_LIMIT = 16 * 1024 * 1024

interface Rule {
  schema: v.GenericSchema
  /** What is allowed, completing "<option> must be …". */
  allowed: string
}

function int(min: number, max: number): Rule {
  return {
    schema: v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max)),
    allowed: `an integer between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}`,
  }
}

function oneOf(values: readonly string[]): Rule {
  return {
    schema: v.picklist(values),
    allowed: `one of ${values.map((x) => `'${x}'`).join(', ')}`,
  }
}

/** The longest batching window a cluster may set (ms): past it a window costs more latency than it saves. */
export const BATCH_WINDOW_MS_LIMIT = 100

/** Most rows a node's read cache may hold. */
export const CACHE_SIZE_MAX = 1_000_000

const fieldList: Rule = {
  schema: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(200))), v.maxLength(32)),
  allowed: "a list of up to 32 field names (non-empty strings), like ['name']",
}

const flag: Rule = { schema: v.boolean(), allowed: 'true or false' }
const ms = int(0, TIMER_MS_MAX)
const positiveMs = int(1, TIMER_MS_MAX)

/** One rule per option; `satisfies` makes a new option in ClusterOptions fail to compile until it has one. */
const RULES = {
  runtime: oneOf(['worker', 'sim']),
  numNodes: int(1, NUM_NODES_MAX),
  seed: int(0, 2 ** 32 - 1),
  replicationFactor: int(1, NUM_NODES_MAX),
  writeQuorum: int(1, NUM_NODES_MAX),
  readQuorum: int(1, NUM_NODES_MAX),
  consistency: oneOf(CONSISTENCY_LEVELS),
  sloppyQuorum: flag,
  topology: {
    // custom first: a record schema copies an array into a plain object before any later check
    schema: v.pipe(
      v.custom<object>((t) => typeof t === 'object' && t !== null && !Array.isArray(t)),
      v.record(v.string(), v.array(v.number())),
    ),
    allowed: 'an object mapping node index → list of node indexes, like { 0: [1], 1: [0] }',
  },
  partitionStrategy: oneOf(['ring', 'hash', 'range']),
  numPartitions: int(1, PARTITIONS_MAX),
  keyRanges: {
    schema: v.array(v.tuple([v.string(), v.nullable(v.string())])),
    allowed: "a list of [start, end) pairs of strings, like [['a', 'm'], ['m', null]]",
  },
  partitionsPerNode: int(1, 1024),
  tokenAssignment: oneOf(['random', 'balanced']),
  maxTransferRate: int(0, Number.MAX_SAFE_INTEGER),
  routing: oneOf(['any', 'owner']),
  enableForwarding: flag,
  heartbeatIntervalMs: positiveMs,
  heartbeatTimeoutMs: positiveMs,
  memtableBytesMax: int(1024, 1024 * 1024 * 1024),
  tombstoneGraceMs: ms,
  valueBytesMax: int(1, VALUE_BYTES_LIMIT),
  keyBytesMax: int(1, KEY_BYTES_LIMIT),
  hintWindowMs: ms,
  hintReplayBytesPerSec: int(1, Number.MAX_SAFE_INTEGER),
  readRepair: oneOf(['blocking', 'async', 'off']),
  antiEntropyIntervalMs: ms,
  merkleDepth: int(1, 20),
  merkleArityBits: int(1, 4),
  timestampSource: oneOf(['lamport', 'wallclock']),
  consistencyMode: oneOf(['lww', 'vector', 'crdt']),
  crdtConfig: {
    schema: v.pipe(
      v.custom<object>((t) => typeof t === 'object' && t !== null && !Array.isArray(t)),
      v.record(v.string(), v.picklist(['gcounter', 'pncounter', 'orset', 'lwwregister', 'mvregister'])),
    ),
    allowed:
      "an object mapping keys to CRDT types (gcounter, pncounter, orset, lwwregister, mvregister), like { likes: 'gcounter' }",
  },
  siblingsMax: int(1, 1024),
  persist: flag,
  indexFields: fieldList,
  globalIndexFields: fieldList,
  cacheSize: int(0, CACHE_SIZE_MAX),
  isolation: oneOf(['read-committed', 'snapshot', 'serializable']),
  txLockStrategy: oneOf(['basic', '2pl']),
  lockTimeoutMs: int(1, 3_600_000),
  txLeaseMs: int(1, 24 * 3_600_000),
  batchWindowMsMax: int(0, BATCH_WINDOW_MS_LIMIT),
  dbPrefix: {
    schema: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:-]{1,100}$/)),
    allowed: 'a string of 1 to 100 letters, digits, _ . : or -',
  },
} satisfies Record<keyof ClusterOptions, Rule>

const KNOWN = Object.keys(RULES)

/** Throws BAD_CONFIG for an unknown key or an option of the wrong type or outside its range. */
export function checkOptionShapes(raw: Record<string, unknown>): void {
  for (const key of Object.keys(raw)) {
    const rule = (RULES as Record<string, Rule>)[key]
    if (!rule)
      throw dbError('BAD_CONFIG', unknownNameMessage('option', key, KNOWN), {
        option: key,
        known: KNOWN,
      })
    const value = raw[key]
    if (value === undefined || v.is(rule.schema, value)) continue
    throw dbError('BAD_CONFIG', `${key} must be ${rule.allowed}, got ${showValue(value)}`, {
      option: key,
      value: showValue(value),
      allowed: rule.allowed,
    })
  }
}
