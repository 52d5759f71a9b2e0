import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ClusterEvent } from '../../core/events'
import type { NodeId } from '../../core/ids'
import { emptyBatch } from '../model/coalescer'
import { useStore } from './store'

describe('the traffic tick while batches flow', () => {
  afterEach(() => vi.restoreAllMocks())

  it('leaves the store alone while batches arrive, and closes the window once they stop', () => {
    let now = 10_000
    vi.spyOn(performance, 'now').mockImplementation(() => now)
    const send: ClusterEvent = {
      t: 0,
      type: 'send',
      node: 'node_0' as NodeId,
      peer: 'node_1' as NodeId,
      msg: 'replicate',
    }
    const batch = () => ({ ...emptyBatch(), events: [send, send] })
    useStore.getState().applyBatch(batch())
    // 16 nodes: batches 480 ms apart, the tick every 500 ms. The tick used to close each 500 ms
    // window itself, a second store write (a re-render of every card and link) twice a second.
    for (let i = 0; i < 6; i++) {
      now += 480
      useStore.getState().applyBatch(batch())
      now += 20
      const before = useStore.getState()
      useStore.getState().tickTraffic()
      expect(useStore.getState(), `tick ${i}`).toBe(before)
    }
    expect(Object.keys(useStore.getState().traffic)).toContain('node_0>node_1')
    // No batch for a second: the tick closes the window and the rates fall to zero.
    now += 1500
    const before = useStore.getState()
    useStore.getState().tickTraffic()
    expect(useStore.getState()).not.toBe(before)
    expect(useStore.getState().traffic['node_0>node_1']?.ratePerSec ?? 0).toBe(0)
  })
})
