/**
 * The scenario document, version 1: a seed, a runtime, the cluster's options, an initial workload and
 * the ordered steps a run took, each a Cluster API call `{ at, action, args }` (args positional, as
 * the call took them). The ACTIONS table is THE list of recordable actions; the TypeScript types are
 * derived from these valibot schemas. Cross-field rules on options (W ≤ N, …) are checked by the
 * cluster's own resolveOptions in codec.ts, so the two can never disagree.
 */
import * as v from 'valibot'
import { CONSISTENCY_LEVELS } from '../core/quorum/consistency'
import { NarrationSchema } from './narration'

export const SCENARIO_VERSION = 1
/** Most steps a document may hold (a recording stops appending past it and says so). */
export const STEPS_MAX = 20_000
/** Latest step time, virtual ms (~24 days: a timer's limit in browsers). */
export const AT_MS_MAX = 2 ** 31 - 1

const str = (max: number) => v.pipe(v.string(), v.maxLength(max))
const NodeRef = v.union([v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(4096)), str(64)])
const Key = str(4096)
const Value = str(64 * 1024)
const Level = v.picklist(CONSISTENCY_LEVELS)
const prob = v.pipe(v.number(), v.minValue(0), v.maxValue(1))
const msNum = v.pipe(v.number(), v.minValue(0), v.maxValue(AT_MS_MAX))
const OpOpts = v.strictObject({ level: v.optional(Level), ignoreSalt: v.optional(v.boolean()) })
const WriteOpts = v.strictObject({
  level: v.optional(Level),
  ignoreSalt: v.optional(v.boolean()),
  context: v.optional(str(64 * 1024)),
})
const LinkRule = v.strictObject({
  cut: v.optional(v.boolean()),
  latencyMs: v.optional(msNum),
  jitterMs: v.optional(msNum),
  lossRate: v.optional(prob),
  duplicateRate: v.optional(prob),
})
const DiskFaults = v.strictObject({
  commitDelayMs: v.optional(msNum),
  commitFailRate: v.optional(prob),
  quotaBytes: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0)))),
  tornTailOnKill: v.optional(v.boolean()),
})
const CrdtOp = v.union([
  v.strictObject({ inc: v.number() }),
  v.strictObject({ dec: v.number() }),
  v.strictObject({ add: str(4096) }),
  v.strictObject({ remove: str(4096) }),
  v.strictObject({ set: Value }),
])
const Groups = v.pipe(v.array(v.pipe(v.array(NodeRef), v.maxLength(64))), v.maxLength(64))
const Topology = v.nullable(
  v.record(
    v.pipe(v.string(), v.regex(/^\d{1,2}$/)),
    v.pipe(v.array(v.pipe(v.number(), v.integer())), v.maxLength(64)),
  ),
)
/** A workload spec's shape; its ranges are core/workload/generator.ts's validateWorkloadSpec (codec.ts). */
export const WorkloadSpecSchema = v.strictObject({
  ratePerSec: v.number(),
  readFraction: v.number(),
  distribution: v.picklist(['uniform', 'zipfian']),
  keyCount: v.number(),
  valueBytes: v.number(),
  level: v.optional(Level),
  concurrencyMax: v.number(),
  seed: v.number(),
  coordinator: v.optional(v.picklist(['random', 'token-aware'])),
  salted: v.optional(v.pipe(v.array(v.tuple([str(4096), v.number()])), v.maxLength(10_000))),
})
const int = v.pipe(v.number(), v.integer(), v.minValue(0))
const Node1 = v.strictTuple([NodeRef])
const None = v.strictTuple([])

/** Every recordable action: the Cluster API method it calls and its positional arguments. */
export const ACTIONS = {
  put: v.union([
    v.strictTuple([NodeRef, Key, Value, v.optional(WriteOpts)]),
    v.strictTuple([NodeRef, Key, Key, Value, v.optional(OpOpts)]),
  ]),
  delete: v.union([
    v.strictTuple([NodeRef, Key, v.optional(WriteOpts)]),
    v.strictTuple([NodeRef, Key, Key, v.optional(OpOpts)]),
  ]),
  get: v.union([
    v.strictTuple([NodeRef, Key, v.optional(OpOpts)]),
    v.strictTuple([NodeRef, Key, Key, v.optional(OpOpts)]),
  ]),
  read: v.union([
    v.strictTuple([NodeRef, Key, v.optional(OpOpts)]),
    v.strictTuple([NodeRef, Key, Key, v.optional(OpOpts)]),
  ]),
  applyCrdt: v.strictTuple([NodeRef, Key, CrdtOp, v.optional(OpOpts)]),
  kill: Node1,
  restart: Node1,
  pause: Node1,
  resume: Node1,
  partition: v.strictTuple([Groups]),
  heal: None,
  setLink: v.strictTuple([NodeRef, NodeRef, LinkRule]),
  setClockSkew: v.strictTuple([NodeRef, v.pipe(v.number(), v.minValue(-AT_MS_MAX), v.maxValue(AT_MS_MAX))]),
  setDiskFaults: v.strictTuple([NodeRef, DiskFaults]),
  addNode: None,
  removeNode: Node1,
  setTopology: v.strictTuple([Topology]),
  startWorkload: v.strictTuple([WorkloadSpecSchema]),
  stopWorkload: None,
  antiEntropy: v.strictTuple([
    NodeRef,
    v.optional(v.strictObject({ peer: v.optional(str(64)), rangeIndex: v.optional(int) })),
  ]),
  flush: Node1,
  compact: Node1,
  enableSalt: v.strictTuple([Key, int]),
  markHotKey: v.strictTuple([Key, int, v.optional(v.boolean())]),
  splitPartition: v.strictTuple([int, v.optional(Key)]),
  mergePartitions: v.strictTuple([int, int]),
  transferPartition: v.strictTuple([NodeRef, NodeRef, int]),
  rebalance: None,
  setMaxTransferRate: v.strictTuple([v.pipe(v.number(), v.minValue(0))]),
  enableForwarding: v.strictTuple([v.boolean()]),
  resetMetrics: None,
  checkHotPartitions: v.strictTuple([v.optional(v.number()), v.optional(v.number())]),
  checkColdPartitions: v.strictTuple([v.optional(v.number()), v.optional(v.number())]),
  checkHotKeys: v.strictTuple([v.optional(v.number()), v.optional(v.number())]),
  getRange: v.strictTuple([
    Key,
    Key,
    Key,
    v.optional(v.record(v.string(), v.union([v.string(), v.number(), v.boolean(), v.null()]))),
  ]),
  secondaryQuery: v.strictTuple([str(200), v.unknown()]),
  globalQuery: v.strictTuple([str(200), v.unknown(), v.optional(OpOpts)]),
  /** The simulator's single step (runs only the next event): it changes interleaving, so it is recorded. */
  step: None,
} as const

export type ActionName = keyof typeof ACTIONS
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[]

export function isActionName(x: unknown): x is ActionName {
  return typeof x === 'string' && Object.hasOwn(ACTIONS, x)
}

const stepSchemas = ACTION_NAMES.map((name) =>
  v.strictObject({ at: msNum, action: v.literal(name), args: ACTIONS[name] }),
) as unknown as [v.GenericSchema, ...v.GenericSchema[]]

export const StepSchema = v.variant('action', stepSchemas as never) as v.GenericSchema<ScenarioStepOf>

/** One step, typed per action: `{ at: 1200, action: 'kill', args: [2] }`. */
export type ScenarioStepOf<A extends ActionName = ActionName> = A extends ActionName
  ? { at: number; action: A; args: v.InferOutput<(typeof ACTIONS)[A]> }
  : never
export type ScenarioStep = ScenarioStepOf

export const ScenarioSchema = v.strictObject({
  version: v.literal(SCENARIO_VERSION),
  seed: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1)),
  runtime: v.picklist(['sim', 'worker']),
  /** ClusterOptions as createCluster takes them (checked by resolveOptions in codec.ts). */
  options: v.record(v.string(), v.unknown()),
  /** A workload running from t = 0 (null: none; later changes are startWorkload/stopWorkload steps). */
  workload: v.nullable(WorkloadSpecSchema),
  steps: v.pipe(v.array(StepSchema), v.maxLength(STEPS_MAX)),
  /** How long the run lasted, virtual ms: a replay runs to here (and hashes the trace up to here). */
  durationMs: msNum,
  title: v.optional(str(200)),
  /** A guided tour's steps, targets and completion conditions, as data (narration.ts). */
  narration: v.optional(NarrationSchema),
})

export type ScenarioDoc = Omit<v.InferOutput<typeof ScenarioSchema>, 'steps'> & { steps: ScenarioStep[] }
