/**
 * One fault step of a seeded sweep: with `r` (a draw in [0, 1)) below the cumulative odds, kills,
 * restarts or partitions off node `n`, or heals, logging what it did into `faults` (the failing
 * seed's report); true when it took a fault step, false when the sweep's own op should run.
 */
import type { Cluster } from '../../cluster/types'

/** Cumulative thresholds: r < kill → kill, r < restart → restart, then partition, then heal. */
export interface FaultOdds {
  kill: number
  restart: number
  partition: number
  heal: number
}

export async function faultStep(
  c: Cluster,
  n: number,
  r: number,
  odds: FaultOdds,
  faults: string[],
): Promise<boolean> {
  if (r < odds.kill) {
    faults.push(`kill ${n}`)
    await c.kill(n).catch(() => {})
  } else if (r < odds.restart) {
    faults.push(`restart ${n}`)
    await c.restart(n).catch(() => {})
  } else if (r < odds.partition) {
    faults.push(`partition ${n}`)
    c.partition([[n]])
  } else if (r < odds.heal) {
    faults.push('heal')
    c.heal()
  } else return false
  return true
}
