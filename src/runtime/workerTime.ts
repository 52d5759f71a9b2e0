/** Time control for the worker runtime: real time, so only cluster-wide pause and resume. */
import type { TimeControl } from '../cluster/types'

/** What the time control needs from the cluster. */
export interface PausableCluster {
  readonly allPaused: boolean
  setAllPaused(paused: boolean): void
}

export function workerTime(c: PausableCluster): TimeControl {
  return {
    kind: 'real',
    speed: 1,
    get paused() {
      return c.allPaused
    },
    get nowMs() {
      return Date.now()
    },
    pause: () => c.setAllPaused(true),
    resume: () => c.setAllPaused(false),
    setSpeed: () => {},
    step: async () => null,
  }
}
