/**
 * Narration (data, src/scenario/narration.ts) compiled to a Tour the page runs: each condition names
 * a detector (detectors.ts) or matches a recorded action's outcome; texts and targets are templates
 * over the facts gathered. Nothing in a narration is evaluated as code: a document from a link can
 * only pick among these detectors and fill text into the page as text.
 */
import type { ActionConditionOf, Condition, NarrationText, TrackerName } from '../../scenario/narration'
import type { ScenarioDoc } from '../../scenario/schema'
import {
  backlogAtLeast,
  clockSkewed,
  converged,
  healed,
  hintsDrained,
  hintsPiledUp,
  nodeAdded,
  nodeBackUp,
  nodeKilled,
  partitioned,
  ringShown,
  rowsMoved,
  secondsBetween,
  memoStr as str,
  tabOpen,
  trackHandOver,
  trackHints,
  trackMerkle,
  trackPartition,
  trackPeaks,
  trackStartMembers,
} from './detectors'
import type { Memo, Tour, TourObs } from './types'
import type { UserOp } from './userOps'

type Detector = (obs: TourObs, memo: Memo) => Memo | null

const TRACKER_FNS: Record<TrackerName, Detector> = {
  partition: trackPartition,
  peaks: trackPeaks,
  hints: trackHints,
  merkle: trackMerkle,
  startMembers: trackStartMembers,
  handOver: trackHandOver,
}

/** Runs several trackers and merges what they found. */
function tracks(fns: readonly Detector[]): Detector {
  return (obs, memo) => {
    let out: Record<string, number | string> | null = null
    for (const f of fns) {
      const r = f(obs, out ? { ...memo, ...out } : memo)
      if (r) out = { ...(out ?? {}), ...r }
    }
    return out
  }
}

const sideOf = (m: Memo, node: string): 'isolated' | 'rest' =>
  str(m, 'isolated').split(',').includes(node) ? 'isolated' : 'rest'

/** Does a recorded operation match an action condition (given the facts so far)? */
export function matchesAction(c: ActionConditionOf, o: UserOp, m: Memo): boolean {
  if (o.op !== c.action) return false
  if (c.key !== undefined && o.key !== c.key) return false
  if (c.level !== undefined && o.level !== c.level) return false
  if (c.ok !== undefined && o.ok !== c.ok) return false
  const n = c.node
  if (!n) return true
  if ('side' in n) return sideOf(m, o.node) === n.side
  if ('is' in n) return o.node === str(m, n.is)
  return o.node !== str(m, n.isNot)
}

function actionDetector(c: ActionConditionOf): Detector {
  return (obs, memo) => {
    const o = obs.ops.find((x) => matchesAction(c, x, memo))
    if (!o) return null
    const facts: Record<string, number | string> = {}
    for (const [fact, field] of Object.entries(c.save ?? {})) {
      const v = o[field]
      facts[fact] = v === undefined ? '' : v === null ? '(absent)' : v
    }
    return facts
  }
}

/** The detector a condition names. */
export function detectorOf(c: Condition): Detector {
  if ('action' in c) return actionDetector(c)
  switch (c.state) {
    case 'partitioned':
      return partitioned
    case 'healed':
      return healed
    case 'nodeDown':
      return nodeKilled
    case 'hintsDrained':
      return hintsDrained
    case 'converged':
      return converged
    case 'nodeAdded':
      return nodeAdded
    case 'rowsMoved':
      return rowsMoved
    case 'ringShown':
      return ringShown
    case 'nodeUp':
      return nodeBackUp(c.node)
    case 'hintsAtLeast':
      return hintsPiledUp(c.min)
    case 'backlogAtLeast':
      return backlogAtLeast(c.min)
    case 'clockSkewed':
      return clockSkewed(c.minAbsMs)
    case 'tabOpen':
      return tabOpen(c.tab as TourObs['tab'])
    default: {
      const never: never = c
      throw new Error(`unknown condition ${JSON.stringify(never)}`)
    }
  }
}

const PLACEHOLDER = /\{(dt:)?(_?[A-Za-z][A-Za-z0-9]*)(?::(_?[A-Za-z][A-Za-z0-9]*))?(?:\|([^}]*))?\}/g

/**
 * Fills a template: `{fact}`, `{fact|default}`, `{dt:from:to}` (seconds between two times). Null
 * when `strict` and a fact without a default is missing (a target that cannot be named yet).
 */
export function fillTemplate(text: string, m: Memo, strict = false): string | null {
  let missing = false
  const out = text.replace(
    PLACEHOLDER,
    (_all, dt: string | undefined, a: string, b?: string, dflt?: string) => {
      if (dt && b) return secondsBetween(m, a, b)
      const v = m[a]
      if (v === undefined || v === '') {
        if (dflt === undefined) missing = true
        return dflt ?? ''
      }
      return String(v)
    },
  )
  return strict && missing ? null : out
}

/** A narration text for the facts: the first variant whose `if` holds. */
export function renderText(t: NarrationText, m: Memo): string {
  if (typeof t === 'string') return fillTemplate(t, m) ?? ''
  for (const variant of t) {
    const cond = variant.if
    const holds =
      !cond ||
      ('same' in cond
        ? m[cond.same[0]] !== undefined && m[cond.same[0]] === m[cond.same[1]]
        : Number(m[cond.atLeast[0]] ?? 0) >= cond.atLeast[1])
    if (holds) return fillTemplate(variant.text, m) ?? ''
  }
  return ''
}

/** The tour a narrated scenario document describes (null when it has no narration). */
export function compileTour(doc: ScenarioDoc): Tour | null {
  const n = doc.narration
  if (!n) return null
  const trackers = (n.track ?? []).map((t) => TRACKER_FNS[t])
  return {
    id: n.tour,
    title: doc.title ?? n.tour,
    blurb: n.blurb,
    doc,
    track: trackers.length > 0 ? tracks(trackers) : undefined,
    steps: n.steps.map((s) => ({
      id: s.id,
      instruction: s.text,
      target: (m: Memo) => {
        for (const sel of s.target ?? []) {
          const filled = fillTemplate(sel, m, true)
          if (filled !== null) return filled
        }
        return null
      },
      check: detectorOf(s.done),
      saw: (m: Memo) => renderText(s.saw, m),
    })),
    summary: (m: Memo) => renderText(n.summary, m),
  }
}
