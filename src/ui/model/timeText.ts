/** Cluster time as people read it: relative to the cluster's start, in seconds. */

/** "236.008 s" (ms precision below 1000 s), "1 234.5 s" beyond; negative spans (skewed clocks) keep their sign. */
export function relTimeText(ms: number): string {
  const s = ms / 1000
  const digits = Math.abs(s) < 1000 ? 3 : 1
  return `${s.toFixed(digits)} s`
}

/** "t = 236.008 s deliver put node_1 → node_2" for a single step. */
export function stepText(tMs: number, originMs: number, ran: readonly string[]): string {
  const what =
    ran.length === 0
      ? 'nothing scheduled'
      : ran.length === 1
        ? ran[0]
        : `${ran[0]} (+${ran.length - 1} more at this instant)`
  return `t = ${relTimeText(tMs - originMs)} ${what}`
}
