/**
 * Coded errors from client operations, in human words: "only 1 replica is reachable (needs 2 of 3);
 * node_1 and node_2 are down — try level ONE" rather than the node's terse text, which is kept as
 * `raw` (the code stays visible for scripts and searches).
 */
import { toErrorData } from '../../core/errors'

export interface OpError {
  code: string
  message: string
  /** The error's own message. */
  raw: string
  answered: string[]
}

/** What the page knows about node status, to name the owners that are down. */
export type StatusOf = (id: string) => 'up' | 'down' | 'paused' | 'suspect' | 'failed' | undefined

function list(ids: readonly string[]): string {
  if (ids.length <= 1) return ids.join('')
  return `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`
}

const QUORUM = /^(write|read) needs (\d+) of (\d+) replicas but only (\d+) are reachable(?: \(([^)]*)\))?/
const OVER_N = /^(writeQuorum|readQuorum) (\d+) > replicationFactor (\d+)/

/** The error's message in human words (unchanged when there is nothing better to say). */
export function humanMessage(
  code: string,
  message: string,
  details: Record<string, unknown> | undefined,
  statusOf: StatusOf = () => undefined,
): string {
  const over = OVER_N.exec(message)
  if (over) {
    const q = over[1] === 'writeQuorum' ? 'W' : 'R'
    return `${q} can't exceed N (${over[3]}): ${q} = ${over[2]} would wait for more replicas than hold a key`
  }
  const m = code === 'QUORUM_NOT_MET' ? QUORUM.exec(message) : null
  if (!m) return message
  const [, op, need, n, got, names] = m
  const reachable = Number(got)
  const owners = Array.isArray(details?.owners)
    ? (details.owners as unknown[]).filter((x): x is string => typeof x === 'string')
    : []
  const reachableNames = names && names !== 'none' ? names.split(',').map((s) => s.trim()) : null
  const unreachable = [...owners]
    .sort()
    .filter((o) =>
      reachableNames ? !reachableNames.includes(o) : statusOf(o) !== undefined && statusOf(o) !== 'up',
    )
  const why = unreachable.length
    ? `; ${list(unreachable)} ${unreachable.length === 1 ? 'is' : 'are'} ${
        unreachable.every((o) => statusOf(o) === 'down' || statusOf(o) === 'failed') ? 'down' : 'unreachable'
      }`
    : ''
  const hint = reachable >= 1 ? ' — try level ONE' : ' — no replica of this key can be reached'
  return `only ${reachable} replica${reachable === 1 ? ' is' : 's are'} reachable (the ${op} needs ${need} of ${n})${why}${hint}`
}

export function opError(e: unknown, statusOf?: StatusOf): OpError {
  const d = toErrorData(e)
  const answered = d.details?.answered
  return {
    code: d.code,
    message: humanMessage(d.code, d.message, d.details as Record<string, unknown> | undefined, statusOf),
    raw: d.message,
    answered: Array.isArray(answered) ? answered.filter((x): x is string => typeof x === 'string') : [],
  }
}
