/**
 * Time control for a simulator cluster shown in the page: a real-time clock that advances virtual time
 * by elapsed real time × speed, plus pause and single-step. Node tests never start it (they drive time
 * through client operations, settle and runFor).
 */
import type { TimeControl } from '../cluster/types'
import type { SimCluster } from './simCluster'

const TICK_MS = 16

export function makeSimTime(cluster: SimCluster): TimeControl {
  let timer: ReturnType<typeof setInterval> | null = null
  let speed = 1
  let busy = false
  let last = 0
  const tick = async (): Promise<void> => {
    if (busy) return
    busy = true
    const now = performance.now()
    const elapsed = Math.min(250, now - last)
    last = now
    try {
      await cluster.runFor(elapsed * speed)
    } finally {
      busy = false
    }
  }
  return {
    kind: 'virtual',
    get paused() {
      return timer === null
    },
    get speed() {
      return speed
    },
    get nowMs() {
      return cluster.sim.nowMs
    },
    pause() {
      if (timer !== null) clearInterval(timer)
      timer = null
      cluster.autoDrive = true
    },
    resume() {
      if (timer !== null) return
      cluster.autoDrive = false
      last = performance.now()
      timer = setInterval(() => void tick(), TICK_MS)
    },
    setSpeed(x: number) {
      if (!(x > 0) || !Number.isFinite(x)) return
      speed = x
    },
    step() {
      return cluster.stepOnce()
    },
  }
}
