import { describe, expect, it } from 'vitest'
import type { ClusterEvent } from '../../core/events'
import type { FaultChip } from '../model/faultsInEffect'
import { DiagramLog, snapToStatus } from './diagramLog'

const ev = (
  p: Partial<Omit<ClusterEvent, 'node' | 'peer'>> & { node?: string; peer?: string },
): ClusterEvent =>
  ({
    t: 10,
    type: 'deliver',
    node: 'node_1',
    peer: 'node_0',
    msg: 'replicate',
    sentT: 9,
    ...p,
  }) as ClusterEvent

const killed: FaultChip = {
  key: 'killed:node_1',
  kind: 'killed',
  label: 'node_1 killed',
  undo: { type: 'restart', node: 'node_1' },
  undoLabel: 'restart',
}

describe('DiagramLog', () => {
  it('a cluster shown at the scrubber’s moment (a time-travel replay) keeps the run’s messages up to it', () => {
    const log = new DiagramLog(100)
    const old = { time: { nowMs: 50 } }
    log.ingest(
      old,
      [10, 20, 30, 40].map((t) => ev({ t, sentT: t - 1 })),
      {},
      0,
    )
    log.noteScrub(25)
    log.ingest({ time: { nowMs: 25 } }, [], {}, 1)
    expect(log.ring.toArray().map((m) => m.recvMs)).toEqual([10, 20])
    // Any other new cluster starts over (and the scrub position was taken by the replay).
    log.ingest({ time: { nowMs: 25 } }, [], {}, 2)
    expect(log.ring.size).toBe(0)
    log.ingest(old, [ev({ t: 5, sentT: 4 })], {}, 3)
    log.noteScrub(25)
    log.ingest({ time: { nowMs: 0 } }, [], {}, 4)
    expect(log.ring.size).toBe(0)
  })
  it('keeps traced messages in a bounded ring', () => {
    const log = new DiagramLog(3)
    const owner = {}
    log.ingest(
      owner,
      [1, 2, 3, 4, 5].map((i) => ev({ t: i, sentT: i })),
      {},
      0,
    )
    expect(log.ring.size).toBe(3)
    expect(log.ring.toArray().map((m) => m.sentMs)).toEqual([3, 4, 5])
  })

  it('gives an ack the key of the op it acknowledges', () => {
    const log = new DiagramLog()
    const owner = {}
    log.ingest(owner, [ev({ opIds: ['node_0:1'], keys: ['k'] })], {}, 0)
    log.ingest(
      owner,
      [ev({ msg: 'replicate-ack', node: 'node_0', peer: 'node_1', opIds: ['node_0:1'] })],
      {},
      1,
    )
    expect(log.ring.at(1)?.keys).toEqual(['k'])
  })

  it('measures what share of the messages sent it shows', () => {
    const log = new DiagramLog()
    const owner = {}
    log.ingest(owner, [], { 'node_0>node_1': 100 }, 0)
    log.ingest(owner, [ev({}), ev({})], { 'node_0>node_1': 116 }, 100)
    expect(log.sampling('worker')).toMatchObject({
      shown: 2,
      sent: 16,
      text: expect.stringContaining('1 in 8'),
    })
    // Past the window the old counts fall out.
    log.ingest(owner, [], { 'node_0>node_1': 116 }, 10_000)
    expect(log.sampling('worker').sent).toBe(0)
  })

  it('starts over for a new cluster', () => {
    const log = new DiagramLog()
    log.ingest({}, [ev({})], {}, 0)
    log.ingest({}, [], {}, 0)
    expect(log.ring.size).toBe(0)
  })

  it('opens a band when a fault appears and closes it when it goes, on the cluster clock', () => {
    const log = new DiagramLog()
    const owner = {}
    log.noteFaults(owner, [killed], 5000)
    expect(log.windows).toMatchObject([{ key: 'killed:node_1', startMs: 5000, endMs: null }])
    log.noteFaults(owner, [], 9000)
    expect(log.windows[0].endMs).toBe(9000)
  })

  it('moves a kill band to the node-status event that caused it', () => {
    const log = new DiagramLog()
    const owner = {}
    log.noteFaults(owner, [killed], 5400)
    log.ingest(
      owner,
      [ev({ type: 'node-status', node: 'node_1', detail: 'down', t: 5012, sentT: undefined })],
      {},
      0,
    )
    expect(log.windows[0].startMs).toBe(5012)
  })
})

describe('snapToStatus', () => {
  it('leaves other faults and far-away events alone', () => {
    const w = [{ key: 'skew:node_1', kind: 'skew' as const, label: '', startMs: 100, endMs: null }]
    expect(snapToStatus(w, [{ node: 'node_1', detail: 'down', t: 90 }])).toBe(w)
    const k = [{ key: 'killed:node_1', kind: 'killed' as const, label: '', startMs: 100, endMs: 900 }]
    expect(snapToStatus(k, [{ node: 'node_1', detail: 'down', t: 90_000 }])).toBe(k)
    expect(snapToStatus(k, [{ node: 'node_1', detail: 'up', t: 850 }])[0].endMs).toBe(850)
  })
})
