import { describe, expect, it } from 'vitest'
import { dbError } from '../../core/errors'
import { actionError } from './actionErrors'

describe('cluster action errors in words', () => {
  it('explains a split on a ring cluster and where to change it', () => {
    const e = dbError(
      'BAD_INPUT',
      "splitPartition works on range partitions; this cluster uses 'ring' partitioning (its partitions are fixed)",
    )
    const a = actionError('split partition 0', e)
    expect(a.code).toBe('BAD_INPUT')
    expect(a.text).toBe(
      "Couldn't split partition 0: this cluster uses ring partitioning, whose partitions are fixed: split and merge need range partitions (Cluster setup → Partitioning → range) — nothing was changed.",
    )
  })
  it('a split key outside the range, a bad rate, a hand-over timeout', () => {
    expect(
      actionError('split', dbError('BAD_INPUT', 'split key "z" is not inside partition 0 ["a", "m")')).text,
    ).toBe(
      'Couldn\'t split: "z" is not inside partition 0 ["a", "m"): pick a key strictly inside its range — nothing was changed.',
    )
    expect(
      actionError(
        'set the rate',
        dbError('BAD_INPUT', 'maxTransferRate must be a number of bytes per second > 0, got NaN'),
      ).text,
    ).toMatch(/above 0 — nothing was changed\.$/)
    const t = actionError(
      'add a node',
      dbError(
        'TIMEOUT',
        'hand-over from node_0: node_3 did not take 12 rows after 3 tries; the membership change was not published',
      ),
    )
    expect(t.text).toMatch(/node_3 did not acknowledge 12 rows from node_0 in time.*no data was lost\.$/)
  })
  it('keeps other messages, with their code', () => {
    const a = actionError(
      'remove node_1',
      dbError('BAD_INPUT', 'removing node_1 would leave 2 nodes, fewer than N (replicationFactor) = 3'),
    )
    expect(a.text).toBe(
      "Couldn't remove node_1: removing node_1 would leave 2 nodes, fewer than N (replicationFactor) = 3 — nothing was changed.",
    )
  })
})
