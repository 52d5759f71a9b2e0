import { describe, expect, it } from 'vitest'
import { emptySnapshot } from '../../cluster/results'
import type { NodeSnapshot, PeerView } from '../../cluster/types'
import type { NodeId } from '../../core/ids'
import { displayStatus, nodeHealth } from './health'

function snap(id: string, views: Record<string, PeerView> = {}, status: NodeSnapshot['status'] = 'up') {
  return { ...emptySnapshot(id as NodeId, status, 0), peerViews: views }
}

function cluster(...s: NodeSnapshot[]): Record<string, NodeSnapshot> {
  return Object.fromEntries(s.map((x) => [x.id, x]))
}

describe('node health per side of a partition', () => {
  it('node_1 cut off from two peers: it is isolated, the majority is up and names it', () => {
    const snaps = cluster(
      snap('node_0', { node_1: 'down', node_2: 'up' }),
      snap('node_1', { node_0: 'down', node_2: 'suspect' }),
      snap('node_2', { node_0: 'up', node_1: 'down' }),
    )
    expect(nodeHealth('node_1', snaps)).toMatchObject({
      status: 'suspect',
      badge: 'isolated',
      note: 'sees 0 of 2 peers',
    })
    expect(nodeHealth('node_0', snaps)).toMatchObject({
      status: 'up',
      badge: 'up',
      note: "can't reach node_1",
    })
    expect(nodeHealth('node_2', snaps)).toMatchObject({ status: 'up', note: "can't reach node_1" })
  })

  it('two of five in zone B: they are the minority, the three others are up', () => {
    const a = ['node_0', 'node_1', 'node_2']
    const b = ['node_3', 'node_4']
    const views = (side: string[], other: string[]) =>
      Object.fromEntries([...side.map((p) => [p, 'up']), ...other.map((p) => [p, 'down'])]) as Record<
        string,
        PeerView
      >
    const snaps = cluster(...a.map((id) => snap(id, views(a, b))), ...b.map((id) => snap(id, views(b, a))))
    expect(nodeHealth('node_3', snaps)).toMatchObject({ badge: 'minority', note: 'sees 1 of 4 peers' })
    expect(nodeHealth('node_0', snaps)).toMatchObject({
      status: 'up',
      note: "can't reach node_3 and node_4",
    })
  })

  it('a killed peer is not counted: the others stay plainly up, the dead one is down', () => {
    const snaps = cluster(
      snap('node_0', { node_1: 'up', node_2: 'down' }),
      snap('node_1', { node_0: 'up', node_2: 'down' }),
      snap('node_2', {}, 'down'),
    )
    expect(nodeHealth('node_0', snaps)).toMatchObject({ status: 'up', note: '', sees: 1, livePeers: 1 })
    expect(displayStatus('node_2', snaps)).toBe('down')
  })

  it('a one-way cut: the deaf side "can\'t reach", the other is suspect (not dead)', () => {
    const snaps = cluster(
      snap('node_0', { node_1: 'suspect', node_2: 'up' }),
      snap('node_1', { node_0: 'up', node_2: 'up' }),
      snap('node_2', { node_0: 'up', node_1: 'up' }),
    )
    expect(nodeHealth('node_0', snaps)).toMatchObject({ status: 'up', note: "can't reach node_1" })
    expect(nodeHealth('node_1', snaps)).toMatchObject({
      status: 'suspect',
      badge: 'suspect',
      note: "node_0 can't hear it",
    })
  })

  it('paused and unknown nodes', () => {
    const snaps = cluster(snap('node_0'), snap('node_1', {}, 'paused'))
    expect(nodeHealth('node_1', snaps)).toMatchObject({ status: 'paused', badge: 'paused' })
    expect(displayStatus('node_9', snaps)).toBe('down')
  })
})

describe('node health while a node joins', () => {
  it('the joining node and the peers that do not know it yet are not faulted, and it says joining', () => {
    // node_3 has the new membership; node_0..2 learn of it once its rows are in place.
    const snaps = cluster(
      snap('node_0', { node_1: 'up', node_2: 'up' }),
      snap('node_1', { node_0: 'up', node_2: 'up' }),
      snap('node_2', { node_0: 'up', node_1: 'up' }),
      snap('node_3', { node_0: 'suspect', node_1: 'suspect', node_2: 'suspect' }),
    )
    expect(nodeHealth('node_3', snaps)).toMatchObject({
      status: 'up',
      badge: 'joining',
      note: 'peers add it once its rows are in place',
    })
    for (const id of ['node_0', 'node_1', 'node_2'])
      expect(nodeHealth(id, snaps)).toMatchObject({ status: 'up', badge: 'up', note: '' })
  })
})
