/**
 * A stand-in for the page in Node: a simulator cluster recorded as the page records it (the
 * recording proxy, a trace hash tapped right after creation, time moved in clock-tick-sized chunks
 * with user actions between ticks). Tests and the time-travel bench record runs with it.
 */
import { createCluster } from '../cluster/createCluster'
import type { Cluster, ClusterOptions } from '../cluster/types'
import type { SimCluster } from '../sim/simCluster'
import { Recorder, recordingCluster } from './recorder'
import { TraceHash } from './traceHash'

export interface LiveRun {
  /** The recorded cluster: call actions on this. */
  cluster: Cluster
  raw: SimCluster
  recorder: Recorder
  hash: TraceHash
  /** Advances virtual time by `ms` in ticks of ~16 ms × `speed` (as the page's clock does). */
  tick(ms: number): Promise<void>
}

export async function startLiveRun(options: Omit<ClusterOptions, 'runtime'>, speed = 1): Promise<LiveRun> {
  const raw = (await createCluster({ ...options, runtime: 'sim' })) as SimCluster
  const hash = new TraceHash()
  raw.tapEvents((e) => hash.add(e))
  raw.autoDrive = false
  const recorder = new Recorder(
    { seed: raw.options.seed, runtime: 'sim', options: { ...options }, workload: null },
    () => raw.sim.nowMs,
  )
  const cluster = recordingCluster(raw as Cluster, recorder)
  // Uneven tick lengths (a page's frames are), from a fixed sequence so the test is repeatable.
  let k = 0
  const tick = async (ms: number): Promise<void> => {
    // A click and the next clock tick are separate tasks: promise callbacks settle in between.
    await raw.sim.settleMicrotasks()
    let left = ms
    while (left > 0) {
      const chunk = Math.min(left, (16.6667 + ((k++ * 7) % 11) * 0.137) * speed)
      await raw.runFor(chunk)
      left -= chunk
    }
  }
  return { cluster, raw, recorder, hash, tick }
}
