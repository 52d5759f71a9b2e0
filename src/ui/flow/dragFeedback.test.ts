import { describe, expect, it } from 'vitest'
import { dropFeedback, outsideDropNotice } from './dragFeedback'

const m = ['node_0', 'node_1', 'node_2']

describe('dropFeedback', () => {
  it('names the peers a move cuts off', () => {
    expect(dropFeedback('node_1', 'B', m, {}, 'up')).toEqual({
      target: 'B',
      effect: 'move',
      caption: 'release to partition node_1 from 2 peers',
    })
    expect(dropFeedback('node_1', 'B', m, { node_2: 'B' }, 'up').caption).toBe(
      'release to partition node_1 from 1 peer (it joins 1 peer in zone B)',
    )
    expect(dropFeedback('node_1', 'A', m, { node_1: 'B' }, 'up').caption).toBe(
      'release to reconnect node_1 with all peers',
    )
  })
  it('kill, already down, same zone, outside', () => {
    expect(dropFeedback('node_1', 'kill', m, {}, 'up')).toMatchObject({
      effect: 'kill',
      caption: 'release to kill node_1',
    })
    expect(dropFeedback('node_1', 'kill', m, {}, 'down').effect).toBe('none')
    expect(dropFeedback('node_1', 'A', m, {}, 'up')).toMatchObject({
      effect: 'none',
      caption: 'release to keep node_1 in zone A',
    })
    expect(dropFeedback('node_1', null, m, { node_1: 'C' }, 'up')).toMatchObject({
      effect: 'none',
      caption: 'outside every zone — release to leave node_1 in zone C',
    })
    expect(outsideDropNotice('node_1', {})).toMatch(
      /^node_1 was dropped outside every zone, so it stays in zone A/,
    )
  })
})
