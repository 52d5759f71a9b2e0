import { describe, expect, it } from 'vitest'
import type { ClusterEvent } from '../../core/events'
import {
  type DiagramMessage,
  describeMessage,
  highlightOf,
  isHighlighted,
  kindGroup,
  matchesFilter,
  messageFromEvent,
  NO_FILTER,
  samplingText,
} from './messages'

const deliver: ClusterEvent = {
  t: 12,
  type: 'deliver',
  node: 'node_1' as never,
  peer: 'node_0' as never,
  msg: 'replicate',
  sentT: 10,
  lamport: 41,
  opIds: ['node_0:7'],
  keys: ['user:1'],
  version: '41@node_0',
}

const m = messageFromEvent(deliver, 1) as DiagramMessage

describe('messageFromEvent', () => {
  it('a traced deliver is an arrow from the sender (peer) to the receiver (node)', () => {
    expect(m).toMatchObject({
      from: 'node_0',
      to: 'node_1',
      sentMs: 10,
      recvMs: 12,
      dropped: false,
      lamport: 41,
    })
  })
  it('a traced drop is a dropped arrow from the sender with its reason', () => {
    const d = messageFromEvent(
      {
        t: 5,
        type: 'drop',
        node: 'node_0' as never,
        peer: 'node_2' as never,
        msg: 'replicate',
        sentT: 5,
        detail: 'partition',
      },
      2,
    )
    expect(d).toMatchObject({ from: 'node_0', to: 'node_2', dropped: true, reason: 'partition' })
  })
  it('untraced and other events are not messages', () => {
    expect(messageFromEvent({ ...deliver, sentT: undefined }, 3)).toBeNull()
    expect(messageFromEvent({ t: 1, type: 'apply', node: 'node_0' as never, sentT: 1 }, 4)).toBeNull()
  })
})

describe('filter', () => {
  it('by key: exact, or a prefix ending in *', () => {
    expect(matchesFilter(m, { ...NO_FILTER, key: 'user:1' })).toBe(true)
    expect(matchesFilter(m, { ...NO_FILTER, key: 'user:10' })).toBe(false)
    expect(matchesFilter(m, { ...NO_FILTER, key: 'user:*' })).toBe(true)
  })
  it('by op id and by kind group', () => {
    expect(matchesFilter(m, { ...NO_FILTER, opId: 'node_0:7' })).toBe(true)
    expect(matchesFilter(m, { ...NO_FILTER, opId: 'node_0:8' })).toBe(false)
    expect(matchesFilter(m, { ...NO_FILTER, hidden: new Set(['write']) })).toBe(false)
    expect(matchesFilter(m, { ...NO_FILTER, hidden: new Set(['ack']) })).toBe(true)
  })
  it('groups message types for the legend', () => {
    expect(kindGroup('replicate')).toBe('write')
    expect(kindGroup('replicate-ack')).toBe('ack')
    expect(kindGroup('read-resp')).toBe('read')
    expect(kindGroup('forward-write')).toBe('forward')
    expect(kindGroup('repair')).toBe('repair')
    expect(kindGroup('merkle-req')).toBe('sync')
  })
})

describe('highlight and words', () => {
  it('highlights a message carrying one of the anomaly op ids', () => {
    expect(isHighlighted(m, highlightOf({ opIds: ['node_0:7'] }))).toBe(true)
    expect(isHighlighted(m, highlightOf({ opIds: ['node_2:1'] }))).toBe(false)
    expect(isHighlighted(m, null)).toBe(false)
  })
  it("highlights a read's messages: its key, to or from its coordinator, within its interval", () => {
    const msg = (over: Partial<DiagramMessage>): DiagramMessage => ({
      seq: 1,
      kind: 'read-req',
      from: 'node_1',
      to: 'node_2',
      sentMs: 105,
      recvMs: 106,
      dropped: false,
      opIds: [],
      keys: ['k', 'other'],
      ...over,
    })
    const h = highlightOf({ opIds: [], reads: [{ node: 'node_1', key: 'k', startMs: 100, endMs: 110 }] })
    expect(h?.size).toBe(1)
    expect(isHighlighted(msg({}), h)).toBe(true)
    expect(isHighlighted(msg({ kind: 'read-resp', from: 'node_2', to: 'node_1', sentMs: 108 }), h)).toBe(true)
    // Another key, another coordinator's read, outside the read's interval, or a write: not its messages.
    expect(isHighlighted(msg({ keys: ['other'] }), h)).toBe(false)
    expect(isHighlighted(msg({ from: 'node_3', to: 'node_2' }), h)).toBe(false)
    expect(isHighlighted(msg({ sentMs: 200 }), h)).toBe(false)
    expect(isHighlighted(msg({ kind: 'replicate' }), h)).toBe(false)
  })
  it('says how much it samples', () => {
    expect(samplingText(0, 0, 'worker')).toBe('no messages yet')
    expect(samplingText(500, 500, 'worker')).toBe('every message')
    expect(samplingText(100, 800, 'worker')).toBe(
      'showing 1 in 8 messages (sampled within the worker event budget)',
    )
    expect(samplingText(600, 800, 'worker')).toBe(
      'showing 75% of messages (sampled within the worker event budget)',
    )
    // The simulator traces every message: counts skewed by a batch boundary do not make it a sample.
    expect(samplingText(900, 1000, 'sim')).toBe('every message')
    expect(samplingText(500, 1000, 'sim', 300)).toBe(
      'showing 50% of messages (the page dropped 300 events under load)',
    )
  })
  it('describes a message with its Lamport ts, op, key and version', () => {
    expect(describeMessage(m)).toBe(
      'replicate node_0 → node_1 · Lamport 41 · op node_0:7 · key user:1 · version 41@node_0',
    )
  })
})
