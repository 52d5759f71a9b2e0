/**
 * A scenario's narration: what turns a scenario document into a guided tour. Steps with a text, a
 * target to point at (CSS selectors, tried in order) and a completion condition, all as DATA: a
 * condition names a state of the cluster (`{ state: 'partitioned' }`) or a recorded action with its
 * outcome (`{ action: 'put', level: 'ALL', ok: false }`), never code. The page interprets them
 * (src/ui/tours/conditions.ts); this file is only their schema, checked with the rest of the document.
 *
 * Texts are templates over the facts a tour gathered: `{killed}` is a fact, `{dt:a:b}` the seconds
 * between the times `a` and `b`. A text may be a list of variants, the first whose `if` holds.
 */
import * as v from 'valibot'
import { CONSISTENCY_LEVELS } from '../core/quorum/consistency'

const str = (max: number) => v.pipe(v.string(), v.maxLength(max))
/** A fact's name (what a condition saved, what a template reads). */
const Fact = v.pipe(v.string(), v.regex(/^_?[A-Za-z][A-Za-z0-9]{0,39}$/))
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000))

/** Conditions over the cluster's state (and its events), each with the facts it saves when it holds. */
export const STATE_CONDITIONS = [
  /** Two or more partition groups: isolated, isolatedList, isolatedVerb, partitionedAtMs, sides. */
  'partitioned',
  /** No partition any more, after one was seen (the `partition` tracker): healedAtMs. */
  'healed',
  /** A member is down: killed, killedAtMs. */
  'nodeDown',
  /** Hints held for `killed` are gone and it is up: drainedAtMs. */
  'hintsDrained',
  /** After the heal, the backlog is what a healthy cluster carries and a Merkle exchange ran. */
  'converged',
  /** A member joined since the tour began (needs the `startMembers` tracker): joined, joinedAtMs. */
  'nodeAdded',
  /** Rows streamed to a joined node (needs the `handOver` tracker): rowsMovedAtMs. */
  'rowsMoved',
  /** The Ring tab is open after a join: ringVersionNow, joinedKeys. */
  'ringShown',
] as const

/** Trackers run on every observation, whichever step is current (peaks, first times). */
export const TRACKERS = ['partition', 'peaks', 'hints', 'merkle', 'startMembers', 'handOver'] as const

/** Outcome fields of a recorded action a condition can save as facts. */
export const OUTCOME_FIELDS = ['node', 'errorCode', 'acks', 'value', 'readValue', 'siblings'] as const

/** Which coordinator an action condition wants, relative to the facts gathered. */
const NodeRule = v.union([
  /** On the partition's smaller side (`isolated`) or the rest. */
  v.strictObject({ side: v.picklist(['isolated', 'rest']) }),
  /** The node a fact names, or any other one. */
  v.strictObject({ is: Fact }),
  v.strictObject({ isNot: Fact }),
])

/** A recorded client action (put/get/delete through the Cluster API) and its outcome. */
const ActionCondition = v.strictObject({
  action: v.picklist(['put', 'get', 'delete']),
  key: v.optional(str(4096)),
  /** The level asked for; 'default' = none given. */
  level: v.optional(v.picklist([...CONSISTENCY_LEVELS, 'default'])),
  ok: v.optional(v.boolean()),
  node: v.optional(NodeRule),
  /** Facts to save from the outcome: `{ allCode: 'errorCode' }`. */
  save: v.optional(v.pipe(v.record(Fact, v.picklist(OUTCOME_FIELDS)), v.maxEntries(8))),
})

export const ConditionSchema = v.union([
  v.strictObject({ state: v.picklist(STATE_CONDITIONS) }),
  /** The node a fact names is up again: restartedAtMs. */
  v.strictObject({ state: v.literal('nodeUp'), node: Fact }),
  /** At least `min` hints held for `killed`: hintsSeen, hintHolder, hintHolderPeak. */
  v.strictObject({ state: v.literal('hintsAtLeast'), min: count }),
  /** The replication backlog reached `min` ops: backlogSeen. */
  v.strictObject({ state: v.literal('backlogAtLeast'), min: count }),
  /** A node's clock is skewed by at least `minAbsMs`: skewed, skewMs, skewS, skewDir. */
  v.strictObject({ state: v.literal('clockSkewed'), minAbsMs: count }),
  /** The side panel shows `tab`: tabAtMs. */
  v.strictObject({ state: v.literal('tabOpen'), tab: str(40) }),
  ActionCondition,
])

/** A text: a template, or variants (the first whose `if` holds; one without `if` always does). */
const Variant = v.strictObject({
  if: v.optional(
    v.union([
      v.strictObject({ same: v.strictTuple([Fact, Fact]) }),
      v.strictObject({ atLeast: v.strictTuple([Fact, v.number()]) }),
    ]),
  ),
  text: str(600),
})
export const TextSchema = v.union([str(600), v.pipe(v.array(Variant), v.minLength(1), v.maxLength(6))])

/** One step: what to do, where (selectors tried in order; one naming a missing fact is skipped), when it is done, what it showed. */
export const NarrationStepSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,40}$/)),
  text: str(400),
  target: v.optional(v.pipe(v.array(str(200)), v.minLength(1), v.maxLength(4))),
  done: ConditionSchema,
  saw: TextSchema,
})

export const NarrationSchema = v.strictObject({
  /** The tour's id (`#tour=<id>`). */
  tour: v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,40}$/)),
  /** One line for the "Try this" card. */
  blurb: str(300),
  track: v.optional(v.pipe(v.array(v.picklist(TRACKERS)), v.maxLength(TRACKERS.length))),
  steps: v.pipe(v.array(NarrationStepSchema), v.minLength(1), v.maxLength(8)),
  /** The closing "what you just saw". */
  summary: TextSchema,
})

export type Condition = v.InferOutput<typeof ConditionSchema>
export type ActionConditionOf = v.InferOutput<typeof ActionCondition>
export type NarrationText = v.InferOutput<typeof TextSchema>
export type NarrationStep = v.InferOutput<typeof NarrationStepSchema>
export type Narration = v.InferOutput<typeof NarrationSchema>
export type TrackerName = (typeof TRACKERS)[number]
export type OutcomeField = (typeof OUTCOME_FIELDS)[number]
