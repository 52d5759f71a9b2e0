import { describe, expect, it } from 'vitest'
import {
  backlogAtLeast,
  clockSkewed,
  converged,
  healed,
  hintsDrained,
  hintsPiledUp,
  nodeAdded,
  nodeBackUp,
  nodeKilled,
  partitioned,
  ringShown,
  rowsMoved,
  tabOpen,
  trackHandOver,
  trackHints,
  trackMerkle,
  trackPartition,
  trackPeaks,
  userOp,
} from './detectors'
import { effectiveGroups } from './observe'
import { ev, obs, op } from './testObs'

const split = [['node_0', 'node_1'], ['node_2']]

describe('step detectors tick on their own change and on nothing else', () => {
  it('partitioned: two sides (the smaller is isolated); not a healthy cluster, not one group', () => {
    expect(partitioned(obs())).toBeNull()
    expect(partitioned(obs({ groups: [['node_0', 'node_1', 'node_2']] }))).toBeNull()
    expect(partitioned(obs({ nodes: { node_1: { status: 'down' } } }))).toBeNull()
    expect(partitioned(obs({ groups: split }))).toMatchObject({ isolated: 'node_2', sides: 2 })
  })

  it('effectiveGroups makes the implicit rest group explicit (partition([["node_2"]]) is a partition)', () => {
    expect(effectiveGroups(['node_0', 'node_1', 'node_2'], [['node_2']])).toEqual([
      ['node_2'],
      ['node_0', 'node_1'],
    ])
    expect(effectiveGroups(['node_0', 'node_1'], [])).toEqual([])
  })

  it('healed: only after a partition was seen, and only once it is gone', () => {
    expect(healed(obs(), {})).toBeNull() // never partitioned
    const seen = trackPartition(obs({ groups: split }), {})
    expect(seen).toEqual({ _wasPartitioned: 1 })
    expect(healed(obs({ groups: split }), { ...seen })).toBeNull() // still partitioned
    expect(healed(obs({ tMs: 5000 }), { ...seen })).toEqual({ healedAtMs: 5000 })
    expect(trackPartition(obs(), {})).toBeNull()
  })

  it('nodeKilled: a down node; paused or failed nodes are not kills', () => {
    expect(nodeKilled(obs())).toBeNull()
    expect(nodeKilled(obs({ nodes: { node_1: { status: 'paused' } } }))).toBeNull()
    expect(nodeKilled(obs({ nodes: { node_1: { status: 'failed' } } }))).toBeNull()
    expect(nodeKilled(obs({ nodes: { node_1: { status: 'down' } } }))).toMatchObject({ killed: 'node_1' })
  })

  it('nodeBackUp: the killed node up again, not another node', () => {
    const memo = { killed: 'node_1' }
    expect(nodeBackUp('killed')(obs({ nodes: { node_1: { status: 'down' } } }), memo)).toBeNull()
    expect(nodeBackUp('killed')(obs({ nodes: { node_1: { status: 'down' } } }), {})).toBeNull()
    expect(nodeBackUp('killed')(obs({ tMs: 9000 }), memo)).toEqual({ restartedAtMs: 9000 })
  })

  it('hintsPiledUp: hints for the killed node only, summed over holders, at the threshold', () => {
    const memo = { killed: 'node_1' }
    const four = obs({
      nodes: { node_0: { hintsByTarget: { node_1: 3 } }, node_2: { hintsByTarget: { node_1: 1 } } },
    })
    expect(hintsPiledUp(5)(four, memo)).toBeNull()
    const other = obs({ nodes: { node_0: { hintsByTarget: { node_2: 40 } } } })
    expect(hintsPiledUp(5)(other, memo)).toBeNull()
    const five = obs({
      nodes: { node_0: { hintsByTarget: { node_1: 3 } }, node_2: { hintsByTarget: { node_1: 2 } } },
    })
    expect(hintsPiledUp(5)(five, memo)).toEqual({ hintsSeen: 5, hintHolder: 'node_0', hintHolderPeak: 3 })
  })

  it('trackHints keeps the peak; hintsDrained needs the node up and no hint left for it', () => {
    const memo = { killed: 'node_1', hintsPeak: 10 }
    expect(trackHints(obs({ nodes: { node_0: { hintsByTarget: { node_1: 8 } } } }), memo)).toBeNull()
    expect(trackHints(obs({ nodes: { node_0: { hintsByTarget: { node_1: 14 } } } }), memo)).toEqual({
      hintsPeak: 14,
      hintHolder: 'node_0',
      hintHolderPeak: 14,
    })
    expect(hintsDrained(obs({ nodes: { node_1: { status: 'down' } } }), memo)).toBeNull() // no hints, but still down
    expect(hintsDrained(obs({ nodes: { node_0: { hintsByTarget: { node_1: 1 } } } }), memo)).toBeNull()
    expect(hintsDrained(obs({ nodes: { node_0: { hintsByTarget: { node_2: 9 } } }, tMs: 7 }), memo)).toEqual({
      drainedAtMs: 7,
    })
  })

  it('backlogAtLeast sums every node; trackPeaks counts errors only while partitioned', () => {
    expect(backlogAtLeast(20)(obs({ nodes: { node_0: { backlog: 19 } } }))).toBeNull()
    expect(backlogAtLeast(20)(obs({ nodes: { node_0: { backlog: 12 }, node_2: { backlog: 8 } } }))).toEqual({
      backlogSeen: 20,
    })
    expect(trackPeaks(obs({ errorsPerSec: 5 }), {})).toBeNull()
    expect(trackPeaks(obs({ errorsPerSec: 5.04, groups: split }), {})).toEqual({ errorsPeak: 5 })
  })

  it('converged: after the heal, backlog empty and a Merkle exchange seen', () => {
    const merkle = ev('merkle-exchange', 'node_0', JSON.stringify({ mismatchedLeaves: 3, keysApplied: 7 }))
    expect(converged(obs({ events: [merkle] }), {})).toBeNull() // not healed
    const healedMemo = { healedAtMs: 1 }
    expect(converged(obs(), healedMemo)).toBeNull() // no exchange yet
    expect(converged(obs({ events: [merkle], nodes: { node_0: { backlog: 11 } } }), healedMemo)).toBeNull()
    expect(converged(obs({ events: [merkle], tMs: 4 }), healedMemo)).toEqual({
      convergedAtMs: 4,
      backlogLeft: 0,
    })
    // A running workload keeps a few ops in flight: caught up is at most CAUGHT_UP_BACKLOG_MAX.
    expect(
      converged(
        obs({ events: [merkle], nodes: { node_0: { backlog: 6 }, node_1: { backlog: 4 } } }),
        healedMemo,
      ),
    ).toMatchObject({
      backlogLeft: 10,
    })
    expect(trackMerkle(obs({ events: [merkle, ev('flush', 'node_0')] }), healedMemo)).toEqual({
      aeExchanges: 1,
      aeMismatched: 3,
      aeApplied: 7,
    })
    expect(trackMerkle(obs({ events: [merkle] }), {})).toBeNull() // before the heal
  })

  it('clockSkewed: at least the threshold either way', () => {
    expect(clockSkewed(1000)(obs({ nodes: { node_0: { clockSkewMs: 999 } } }))).toBeNull()
    expect(clockSkewed(1000)(obs({ nodes: { node_2: { clockSkewMs: -60000 } } }))).toEqual({
      skewed: 'node_2',
      skewMs: -60000,
      skewS: 60,
      skewDir: 'behind',
    })
  })

  it('userOp: only a matching operation of this observation', () => {
    const d = userOp(
      (o) => o.op === 'put' && o.level === 'ALL' && !o.ok,
      (o) => ({ code: o.errorCode ?? '' }),
    )
    expect(d(obs(), {})).toBeNull()
    expect(d(obs({ ops: [op({ level: 'ALL', ok: true }), op({ level: 'ONE', ok: false })] }), {})).toBeNull()
    expect(d(obs({ ops: [op({ op: 'get', level: 'ALL', ok: false })] }), {})).toBeNull()
    expect(d(obs({ ops: [op({ level: 'ALL', ok: false, errorCode: 'QUORUM_NOT_MET' })] }), {})).toEqual({
      code: 'QUORUM_NOT_MET',
    })
  })

  it('tabOpen, nodeAdded and rowsMoved', () => {
    expect(tabOpen('cluster')(obs({ tab: 'ring' }))).toBeNull()
    expect(tabOpen('cluster')(obs({ tab: 'cluster' }))).not.toBeNull()
    expect(nodeAdded(obs({ n: 5 }), { startMembers: 5 })).toBeNull()
    expect(nodeAdded(obs({ n: 6 }), {})).toBeNull() // start unknown
    expect(nodeAdded(obs({ n: 6 }), { startMembers: 5 })).toMatchObject({ joined: 'node_5' })
    expect(ringShown(obs({ n: 6, tab: 'ring' }), {})).toBeNull() // nobody joined
    expect(ringShown(obs({ n: 6, tab: 'cluster' }), { joined: 'node_5' })).toBeNull()
    expect(
      ringShown(obs({ n: 6, tab: 'ring', ringVersion: 2, nodes: { node_5: { keyCount: 24 } } }), {
        joined: 'node_5',
      }),
    ).toEqual({
      ringVersionNow: 2,
      joinedKeys: 24,
    })
    const hand = ev('hand-over', 'node_1', 'streamed 40 rows to new owners (40 to node_5)')
    expect(trackHandOver(obs({ events: [ev('flush', 'node_0')] }), {})).toBeNull()
    expect(trackHandOver(obs({ events: [hand, hand] }), { rowsMoved: 2 })).toEqual({
      rowsMoved: 82,
      movedFrom: 'node_1',
    })
    expect(rowsMoved(obs(), { rowsMoved: 40 })).toBeNull() // nobody joined
    expect(rowsMoved(obs(), { joined: 'node_5' })).toBeNull() // nothing moved yet
    expect(rowsMoved(obs({ tMs: 3 }), { joined: 'node_5', rowsMoved: 40 })).toEqual({ rowsMovedAtMs: 3 })
  })
})
