import { describe, expect, it } from 'vitest'
import type { MoveProgress } from '../../cluster/moveProgress'
import { nodeId } from '../../core/ids'
import { seededRandom } from '../../core/random'
import { buildPlacementRing, partitionMapOf, rangePlacement } from '../../core/ring/placement'
import { formatEta, movedIds, moveEtaText, moveStatus, ownerShares, partitionArcs } from './partitionView'

const nodes = [nodeId(0), nodeId(1), nodeId(2)]

function move(over: Partial<MoveProgress>): MoveProgress {
  return {
    id: 1,
    kind: 'add-node',
    label: 'add node_3',
    phase: 'copying',
    partitions: [],
    from: [],
    to: [],
    bytesDone: 0,
    bytesTotal: 0,
    keysDone: 0,
    keysTotal: 0,
    catchUp: null,
    etaMs: null,
    etaDoneMs: null,
    rateBytesPerSec: 0,
    startedAtMs: 0,
    publishedAtMs: null,
    mapVersion: 2,
    fromMapVersion: 1,
    finishedAtMs: null,
    durationMs: null,
    error: null,
    ...over,
  }
}

describe('partition view model', () => {
  it('range: equal sectors in key order with their ranges, owners, heat and the hot one', () => {
    const ring = buildPlacementRing(
      rangePlacement([
        ['', 'g'],
        ['g', 'n'],
        ['n', null],
      ]),
      nodes,
      1,
      seededRandom(1),
    )
    const arcs = partitionArcs(partitionMapOf(ring, 1), { 0: 1, 1: 1, 2: 10 }, [])
    expect(arcs.map((a) => [a.start, a.end])).toEqual([
      [0, 1 / 3],
      [1 / 3, 2 / 3],
      [2 / 3, 1],
    ])
    expect(arcs.map((a) => a.label)).toEqual(['[(start), "g")', '["g", "n")', '["n", end)'])
    expect(arcs.map((a) => a.owner)).toEqual(['node_0', 'node_1', 'node_2'])
    expect(arcs[2].heat).toBeCloseTo(2.5)
    expect(arcs.map((a) => a.hot)).toEqual([false, false, true])
    expect(ownerShares(arcs).node_0).toBeCloseTo(1 / 3)
  })

  it('hash: one sector per bucket; ring: token arcs that cover the circle once', () => {
    const hash = partitionArcs(
      partitionMapOf(buildPlacementRing({ kind: 'hash', partitions: 8 }, nodes, 1, seededRandom(1)), 2),
      {},
      [],
    )
    expect(hash).toHaveLength(8)
    expect(hash[3].label).toBe('hash bucket 3 of 8')
    expect(hash[3].replicas).toHaveLength(2)
    expect(hash.every((a) => a.heat === 0 && !a.hot)).toBe(true)
    const ring = partitionArcs(
      partitionMapOf(buildPlacementRing({ kind: 'ring' }, nodes, 4, seededRandom(3)), 1),
      {},
      [],
    )
    expect(ring).toHaveLength(12)
    const covered = ring.reduce((a, p) => a + (p.end - p.start), 0)
    expect(covered).toBeCloseTo(1, 6)
    expect(Object.values(ownerShares(ring)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
  })

  it('while a copy runs, the old map is drawn and the partitions it copies from are outlined', () => {
    const ring = buildPlacementRing({ kind: 'hash', partitions: 4 }, nodes, 1, seededRandom(1))
    const map = partitionMapOf(ring, 1) // the published map, the move's starting point
    const m = move({
      fromMapVersion: map.version,
      mapVersion: map.version + 1,
      partitions: [
        // New partition 4 takes keys of old partition 2 (a hash split), new partition 1 of old 1.
        {
          id: 4,
          start: 'a',
          end: 'b',
          from: ['node_2' as never],
          to: ['node_0' as never],
          wasOwner: 'node_2' as never,
          wasIds: [2],
        },
        {
          id: 1,
          start: 'c',
          end: 'd',
          from: ['node_1' as never],
          to: ['node_2' as never],
          wasOwner: 'node_1' as never,
          wasIds: [1],
        },
      ],
    })
    const arcs = partitionArcs(map, {}, [m])
    expect(arcs).toHaveLength(4)
    expect(arcs[2]).toMatchObject({ owner: map.partitions[2].node, moving: { moveId: 1, to: ['node_0'] } })
    expect(arcs[1]).toMatchObject({ owner: map.partitions[1].node, moving: { moveId: 1, to: ['node_2'] } })
    expect(arcs.filter((a) => a.moving)).toHaveLength(2)
    // In the catch-up step the new map is in force: nothing is drawn as moving.
    expect(partitionArcs(map, {}, [{ ...m, phase: 'catching-up' }]).some((a) => a.moving)).toBe(false)
    // The moves list names the partitions drawn: the old map's while copying, the new map's after.
    expect(movedIds(m)).toEqual([1, 2])
    expect(movedIds({ ...m, phase: 'catching-up' })).toEqual([4, 1])
    // A move from another map version (ids would not match) marks nothing.
    expect(partitionArcs(map, {}, [{ ...m, fromMapVersion: 5 }]).some((a) => a.moving)).toBe(false)
  })

  it('says what a move is doing, with the fraction of its current step', () => {
    const copying = moveStatus(move({ bytesDone: 500, bytesTotal: 2000, keysDone: 5, keysTotal: 20 }))
    expect(copying.step).toMatch(/^Step 1 of 2: copying rows/)
    // One bar over both steps: the catch-up counts as large as the copy until it is counted.
    expect(copying.fraction).toBe(0.125)
    expect(copying.detail).toBe('500 B of 2.0 KB · 5 of 20 rows')
    const catching = moveStatus(
      move({
        phase: 'catching-up',
        bytesDone: 2000,
        bytesTotal: 2000,
        catchUp: { bytesDone: 1000, bytesTotal: 4000, keysDone: 1, keysTotal: 4 },
      }),
    )
    expect(catching.step).toMatch(/^Step 2 of 2/)
    expect(catching.fraction).toBe(0.5)
    expect(moveStatus(move({ phase: 'done', durationMs: 4500 })).step).toBe('Done in 4.5 s')
    expect(
      moveStatus(move({ phase: 'failed', error: { code: 'TIMEOUT', message: 'node_3 did not answer' } }))
        .step,
    ).toBe('Failed, nothing changed: node_3 did not answer')
    expect(formatEta(null)).toBe('estimating time left…')
    expect(formatEta(12_400)).toBe('about 12 s left')
    expect(moveEtaText(move({ etaMs: 2000, etaDoneMs: 6500 }))).toBe(
      'about 7 s left (new map in force in 2 s)',
    )
    expect(moveEtaText(move({ phase: 'catching-up', etaMs: 900, etaDoneMs: 900 }))).toBe(
      'under a second left',
    )
  })
})
