/** Messages between the page and the A/B compare worker (a versioned discriminated union). */
import type { AbProgress, AbResult, AbSpec } from '../../sim/abCompare'

export const AB_PROTOCOL = 1 as const

/** Page → worker. */
export type ToAb = { v: typeof AB_PROTOCOL; t: 'run'; id: number; spec: AbSpec }

/** Worker → page. */
export type FromAb =
  | { v: typeof AB_PROTOCOL; t: 'progress'; id: number; progress: AbProgress }
  | { v: typeof AB_PROTOCOL; t: 'result'; id: number; result: [AbResult, AbResult] }
  | { v: typeof AB_PROTOCOL; t: 'error'; id: number; code: string; message: string }
