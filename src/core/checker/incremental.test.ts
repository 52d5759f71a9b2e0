import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random'
import { keySampled } from '../workload/historyTap'
import { checkHistory } from './checkHistory'
import type { HistoryOp } from './history'
import { IncrementalChecker } from './incremental'
import type { RunConfig } from './opContext'
import type { ReadAnomaly } from './staleReads'
import { historyOf, type OpRow, randomHistory } from './testHistory'

const CONFIG: RunConfig = {
  n: 3,
  w: 2,
  r: 2,
  sloppyQuorum: true,
  mode: 'lww',
  timestampSource: 'lamport',
  antiEntropyIntervalMs: 0,
}

function readSig(a: ReadAnomaly): string {
  return a.kind === 'stale-read'
    ? `${a.kind}:${a.key}:${a.read.index}:${a.returnedWrite?.index ?? '-'}:${a.supersededBy.index}`
    : `${a.kind}:${a.key}:${a.read.index}`
}

function batchSig(history: HistoryOp[]) {
  const r = checkHistory({ history })
  return {
    reads: r.readAnomalies.map(readSig).sort(),
    lin: r.linearizability.map((k) => `${k.key}:${k.verdict}`).sort(),
  }
}

function incrementalSig(history: HistoryOp[], seed: number) {
  const c = new IncrementalChecker(CONFIG)
  const rnd = seededRandom(seed ^ 0x51)
  let i = 0
  // Fed in random chunks with flushes between them, so keys are re-checked as they grow.
  while (i < history.length) {
    const n = 1 + rnd.int(7)
    c.add(history.slice(i, i + n))
    i += n
    if (rnd.next() < 0.5) c.flush()
  }
  const f = c.findings()
  return {
    reads: f.reads.map(readSig).sort(),
    lin: f.linearizability.map((k) => `${k.key}:${k.verdict}`).sort(),
  }
}

const SEEDS = Number(process.env.SEEDS ?? 300)

describe('IncrementalChecker', () => {
  it(`gives the batch checker's verdicts on the same histories (${SEEDS} random histories, fed in chunks)`, () => {
    let anomalies = 0
    let nonLin = 0
    for (let seed = 1; seed <= SEEDS; seed++) {
      const h = randomHistory(seed)
      const want = batchSig(h)
      anomalies += want.reads.length
      nonLin += want.lin.filter((x) => x.endsWith('not-linearizable')).length
      expect(incrementalSig(h, seed), `replay: SEED=${seed}`).toEqual(want)
    }
    // The property means something only if the histories hold anomalies of both kinds.
    expect(anomalies).toBeGreaterThan(SEEDS)
    expect(nonLin).toBeGreaterThan(SEEDS / 4)
  })

  it('every prefix of a history gets the verdict a batch check of that prefix gets', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const h = randomHistory(seed, 3, 8, 2)
      const c = new IncrementalChecker(CONFIG)
      for (let i = 0; i < h.length; i++) {
        c.add([h[i]])
        const f = c.findings()
        const want = batchSig(h.slice(0, i + 1))
        expect(f.reads.map(readSig).sort(), `seed ${seed} prefix ${i + 1}`).toEqual(want.reads)
      }
    }
  })

  it('a clean history says so', () => {
    const c = new IncrementalChecker(CONFIG)
    c.add(
      historyOf([
        [1, 'write', 'k', 'a', 0, 1],
        [2, 'read', 'k', 'a', 2, 3],
        [1, 'write', 'k', 'b', 4, 5],
        [2, 'read', 'k', 'b', 6, 7],
      ]),
    )
    const v = c.verdict()
    expect(v.anomalies).toBe(0)
    expect(v.headline).toBe('4 operations, 0 anomalies, linearizable per key')
  })

  it('keeps memory bounded: a long run keeps at most keyOpsMax ops per key and still counts every anomaly', () => {
    const c = new IncrementalChecker(CONFIG, { keyOpsMax: 40, frozenMax: 10 })
    const rows: OpRow[] = []
    let t = 0
    let stale = 0
    for (let i = 0; i < 2000; i++) {
      rows.push([1, 'write', 'k', `v${i}`, t, t + 1])
      // Every tenth read returns the value before the last: stale.
      const isStale = i % 10 === 9
      if (isStale) stale++
      rows.push([2, 'read', 'k', isStale ? `v${i - 1}` : `v${i}`, t + 2, t + 3])
      t += 4
    }
    const h = historyOf(rows)
    for (let i = 0; i < h.length; i += 50) {
      c.add(h.slice(i, i + 50))
      c.flush()
    }
    const v = c.verdict()
    expect(v.windowOps).toBeLessThanOrEqual(40)
    expect(v.evictedOps).toBeGreaterThan(3900)
    expect(v.byKind['stale-read']).toBe(stale)
    expect(v.byKind['unwritten-read']).toBe(0)
    expect(v.list.length).toBeLessThanOrEqual(100)
  })
})

describe('IncrementalChecker: keys the node-side workload did not sample', () => {
  const ops = (key: string): HistoryOp[] => [
    { process: 1, type: 'invoke', f: 'read', key, value: null, time: 1 },
    // A value whose write the checker never saw (the workload wrote it on an unsampled key).
    { process: 1, type: 'ok', f: 'read', key, value: 'unseen', time: 2 },
  ]
  const unsampled = Array.from({ length: 50 }, (_, i) => `k${i}`).find((k) => !keySampled(k, 4)) as string
  const sampled = Array.from({ length: 50 }, (_, i) => `k${i}`).find((k) => keySampled(k, 4)) as string

  it('a read of a value never seen is judged on a whole key, not on an unsampled one', () => {
    const plain = new IncrementalChecker(CONFIG)
    plain.add(ops(unsampled))
    expect(plain.verdict().byKind['unwritten-read']).toBe(1)
    const c = new IncrementalChecker(CONFIG)
    c.noteSampling(4)
    c.add(ops(unsampled))
    expect(c.verdict().byKind['unwritten-read']).toBe(0)
    const whole = new IncrementalChecker(CONFIG)
    whole.noteSampling(4)
    whole.add(ops(sampled))
    expect(whole.verdict().byKind['unwritten-read']).toBe(1)
  })

  it('a sampling seen later marks the keys already known; lost ops mark every key', () => {
    const c = new IncrementalChecker(CONFIG)
    c.add(ops(unsampled))
    c.noteSampling(4)
    expect(c.verdict().byKind['unwritten-read']).toBe(0)
    const lost = new IncrementalChecker(CONFIG)
    lost.noteSampling(1, true)
    lost.add(ops(sampled))
    expect(lost.verdict().byKind['unwritten-read']).toBe(0)
  })
})
