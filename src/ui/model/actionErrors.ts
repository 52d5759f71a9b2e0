/**
 * Coded errors from cluster actions (split, merge, transfer, add/remove node, rate, salting) in
 * human words: what went wrong, that nothing changed when the action was refused, and what to do.
 * The code stays visible beside the words.
 */
import { toErrorData } from '../../core/errors'

export interface ActionError {
  code: string
  /** The sentence shown to the visitor. */
  text: string
  /** The error's own message (kept as a tooltip). */
  raw: string
}

const RULES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [
    /works on range partitions; this cluster uses '(\w+)' partitioning/,
    (m) =>
      `this cluster uses ${m[1]} partitioning, whose partitions are fixed: split and merge need range partitions (Cluster setup → Partitioning → range)`,
  ],
  [
    /maxTransferRate must be a number of bytes per second > 0/,
    () => 'the transfer rate must be a number of bytes per second above 0',
  ],
  [
    /^hand-over from (\S+): (\S+) did not take (\d+) rows/,
    (m) =>
      `${m[2]} did not acknowledge ${m[3]} rows from ${m[1]} in time, so the move was rolled back: the old map stays in force and no data was lost`,
  ],
  [
    /^split key (".*") is not inside partition (\d+) (.*)$/,
    (m) => `${m[1]} is not inside partition ${m[2]} ${m[3]}: pick a key strictly inside its range`,
  ],
  [
    /holds fewer than 2 partition keys: nothing to split/,
    () => 'that partition holds fewer than 2 keys, so there is no median to split at: give a split key',
  ],
]

/** The error of action `what` ("split partition 3") in words. */
export function actionError(what: string, e: unknown): ActionError {
  const d = toErrorData(e)
  let words = d.message
  for (const [re, say] of RULES) {
    const m = re.exec(d.message)
    if (m) {
      words = say(m)
      break
    }
  }
  const refused = d.code === 'BAD_INPUT' || d.code === 'BAD_CONFIG' || d.code === 'UNKNOWN_NODE'
  const tail = refused && !/nothing|no data/.test(words) ? ' — nothing was changed' : ''
  return { code: d.code, text: `Couldn't ${what}: ${words}${tail}.`, raw: d.message }
}
