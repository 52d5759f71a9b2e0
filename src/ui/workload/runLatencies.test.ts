import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Cluster } from '../../cluster/types'
import { useStore } from '../store/store'
import { latenciesSinceMark, markLatencies, startWorkload, stopWorkload } from './runner'

describe("a run's latency percentiles (the benchmarks' p99 over every op of a window)", () => {
  afterEach(() => {
    stopWorkload()
    vi.useRealTimers()
  })

  it('counts every op since the mark, so the slowest 2% set the p99', async () => {
    vi.useFakeTimers({
      toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'performance'],
    })
    let n = 0
    // Op 1 in every 50 takes 80 ms, the rest 5 ms.
    const op = async () => ({ latencyMs: ++n % 50 === 0 ? 80 : 5 })
    const cluster = {
      time: { kind: 'real', paused: false, speed: 1, nowMs: 0 },
      put: op,
      read: op,
    } as unknown as Cluster
    useStore.setState({
      members: ['node_0'],
      snapshots: { node_0: { status: 'up', replogByPeer: {} } } as never,
    })
    expect(latenciesSinceMark()).toBeNull()
    useStore.getState().setWorkloadConfig({ ratePerSec: 400, coordinator: 'random' })
    startWorkload(cluster, useStore.getState().workloadConfig)
    await vi.advanceTimersByTimeAsync(1000)
    markLatencies()
    await vi.advanceTimersByTimeAsync(5000)
    const r = latenciesSinceMark()
    expect(r?.ops).toBeGreaterThan(1500)
    expect(r?.p50Ms).toBe(5)
    expect(r?.p99Ms).toBe(80)
    markLatencies()
    expect(latenciesSinceMark()?.ops).toBe(0)
  })
})
