/**
 * The page's URL parameters (`?nodes=5&runtime=sim`), read strictly: a value that is not allowed is
 * not guessed at. The page starts its default cluster instead and says why in a banner (the
 * parameter, the value, what is allowed), rather than hanging at "Starting cluster…" or quietly
 * turning `nodes=0` into 3.
 */
import { NUM_NODES_MAX } from '../cluster/optionRules'
import type { RuntimeKind } from '../cluster/types'
import { closestName } from '../core/suggest'

export interface PageParams {
  numNodes: number
  runtime: RuntimeKind
  /** `?tour=off`: no first-load workload and no "Try this" cards (tests that need an idle cluster). */
  toursOff: boolean
  /** One sentence per parameter that was not used, for the notice banner. */
  problems: string[]
}

export const PAGE_PARAM_NAMES = ['nodes', 'runtime', 'tour'] as const

const WHOLE_NUMBER = /^[0-9]{1,3}$/

/** Reads `nodes`, `runtime` and `tour` from a location.search string; defaults stand in for bad values. */
export function readPageParams(
  search: string,
  defaults: { numNodes: number; runtime: RuntimeKind },
): PageParams {
  const params = new URLSearchParams(search)
  const out: PageParams = { ...defaults, toursOff: false, problems: [] }
  const nodes = params.get('nodes')
  if (nodes !== null) {
    const n = WHOLE_NUMBER.test(nodes) ? Number(nodes) : Number.NaN
    if (n >= 1 && n <= NUM_NODES_MAX) out.numNodes = n
    else
      out.problems.push(
        `URL parameter nodes=${shown(nodes)} is not allowed: nodes must be a whole number from 1 to ${NUM_NODES_MAX}. ` +
          `Started the default ${defaults.numNodes} nodes instead.`,
      )
  }
  const runtime = params.get('runtime')
  if (runtime !== null) {
    if (runtime === 'worker' || runtime === 'sim') out.runtime = runtime
    else
      out.problems.push(
        `URL parameter runtime=${shown(runtime)} is not allowed: runtime must be 'worker' or 'sim'. ` +
          `Started the ${defaults.runtime} runtime instead.`,
      )
  }
  const tour = params.get('tour')
  if (tour !== null) {
    if (tour === 'off') out.toursOff = true
    else
      out.problems.push(
        `URL parameter tour=${shown(tour)} is not allowed: tour can only be 'off' (open a tour with #tour=<id>).`,
      )
  }
  for (const name of new Set(params.keys())) {
    if ((PAGE_PARAM_NAMES as readonly string[]).includes(name)) continue
    const guess = closestName(name, PAGE_PARAM_NAMES)
    out.problems.push(
      `Unknown URL parameter ${shown(name)} ignored${guess ? ` (did you mean ${guess}?)` : ''}; ` +
        `the page reads ${PAGE_PARAM_NAMES.join(', ')}.`,
    )
  }
  return out
}

function shown(s: string): string {
  const t = s.length > 40 ? `${s.slice(0, 37)}...` : s
  return t === '' ? '(empty)' : t
}
