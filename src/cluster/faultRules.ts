/**
 * The fault-rule transitions behind partition / heal / setLink / setClockSkew, shared by both
 * runtimes, with the input checks that turn a bad rule into a coded BAD_INPUT error.
 */
import { dbError } from '../core/errors'
import { type FaultState, type LinkRule, linkKey } from '../core/faults/linkRules'
import type { NodeId } from '../core/ids'
import { showValue, unknownNameMessage } from '../core/suggest'
import { resolveNodeRef } from './options'

/** Partition groups resolved against the members (unknown nodes throw UNKNOWN_NODE). */
export function withPartition(
  f: FaultState,
  groups: Array<Array<number | string>>,
  members: readonly NodeId[],
): FaultState {
  if (!Array.isArray(groups) || groups.some((g) => !Array.isArray(g)))
    throw dbError('BAD_INPUT', 'partition takes a list of groups (lists of nodes)')
  return { ...f, groups: groups.map((g) => g.map((r) => resolveNodeRef(r, members))) }
}

/** No partition and no link rules. */
export function healed(f: FaultState): FaultState {
  return { ...f, groups: [], links: {} }
}

/** Sets the rule of the directed link from → to, after checking it. */
export function withLink(
  f: FaultState,
  from: number | string,
  to: number | string,
  rule: LinkRule,
  members: readonly NodeId[],
): FaultState {
  const a = resolveNodeRef(from, members)
  const b = resolveNodeRef(to, members)
  if (a === b) throw dbError('BAD_INPUT', 'a link joins two different nodes')
  checkRule(rule)
  return { ...f, links: { ...f.links, [linkKey(a, b)]: { ...rule } } }
}

/** The fault state without a node that left the cluster. */
export function withoutMember(f: FaultState, id: NodeId): FaultState {
  const links: FaultState['links'] = {}
  for (const [k, r] of Object.entries(f.links)) if (!k.split('>').includes(id)) links[k] = r
  return { ...f, groups: f.groups.map((g) => g.filter((x) => x !== id)), links }
}

/** A clock skew must be a finite number of milliseconds. */
export function checkSkew(skewMs: unknown): number {
  if (typeof skewMs !== 'number' || !Number.isFinite(skewMs))
    throw dbError('BAD_INPUT', `clock skew must be a finite number of ms, got ${String(skewMs)}`)
  return skewMs
}

/**
 * A link delay (latency, jitter) is at most one day: browsers fire a timer whose delay is ≥ 2^31 ms
 * (~24.8 days) at once, so without a cap a huge latency would mean "no delay" in the worker runtime
 * and a real delay in the simulator. Latency + jitter + the base latency stays far below that.
 */
export const LINK_DELAY_MS_MAX = 24 * 60 * 60 * 1000

const RULE_KEYS = ['cut', 'latencyMs', 'jitterMs', 'lossRate', 'duplicateRate'] as const

function checkRule(rule: LinkRule): void {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule))
    throw dbError('BAD_INPUT', 'a link rule is an object like { latencyMs: 50, lossRate: 0.1 }')
  for (const k of Object.keys(rule))
    if (!(RULE_KEYS as readonly string[]).includes(k))
      throw dbError('BAD_INPUT', `link rule: ${unknownNameMessage('field', k, RULE_KEYS)}`, { field: k })
  const ms = (name: 'latencyMs' | 'jitterMs'): void => {
    const v = rule[name]
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0 && v <= LINK_DELAY_MS_MAX)))
      throw dbError(
        'BAD_INPUT',
        `${name} must be a number of ms between 0 and ${LINK_DELAY_MS_MAX} (one day), got ${showValue(v)}`,
        { [name]: showValue(v), max: LINK_DELAY_MS_MAX },
      )
  }
  const rate = (name: 'lossRate' | 'duplicateRate'): void => {
    const v = rule[name]
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0 && v <= 1)))
      throw dbError('BAD_INPUT', `${name} must be between 0 and 1, got ${showValue(v)}`)
  }
  ms('latencyMs')
  ms('jitterMs')
  rate('lossRate')
  rate('duplicateRate')
  if (rule.cut !== undefined && typeof rule.cut !== 'boolean')
    throw dbError('BAD_INPUT', `cut must be true or false, got ${showValue(rule.cut)}`)
}
