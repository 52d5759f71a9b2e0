import { describe, expect, it } from 'vitest'
import { isDbError } from '../errors'
import { seededRandom } from '../random'
import { loadLsmState } from '../storage/recovery'
import { encodeWalRecord } from '../storage/walWriter'
import type { DiskOp } from './disk'
import { FaultyDisk, mergeDiskFaults, NO_DISK_FAULTS } from './faultyDisk'
import { MemoryDisk } from './memoryDisk'

function manual(): { sleep: (ms: number) => Promise<void>; fire: () => void; pending: () => number } {
  const waiting: Array<() => void> = []
  return {
    sleep: () => new Promise<void>((r) => waiting.push(r)),
    fire: () => {
      for (const r of waiting.splice(0)) r()
    },
    pending: () => waiting.length,
  }
}

const put = (key: string, value: unknown): DiskOp => ({ type: 'put', store: 'meta', key, value })

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'ok'
  } catch (e) {
    return isDbError(e) ? e.code : String(e)
  }
}

describe('FaultyDisk', () => {
  it('passes commits straight through with no fault set', async () => {
    const inner = new MemoryDisk('d')
    const d = new FaultyDisk(inner, { random: seededRandom(1), sleep: manual().sleep })
    await d.commit([put('a', 1)])
    expect(await inner.get('meta', 'a')).toBe(1)
    expect(d.stats.commits).toBe(1)
  })

  it('a slow disk applies a commit only after the delay', async () => {
    const inner = new MemoryDisk('d')
    const t = manual()
    const d = new FaultyDisk(inner, { random: seededRandom(1), sleep: t.sleep })
    d.setFaults(mergeDiskFaults(NO_DISK_FAULTS, { commitDelayMs: 50 }))
    const done = d.commit([put('a', 1)])
    await Promise.resolve()
    expect(await inner.get('meta', 'a')).toBeUndefined()
    expect(t.pending()).toBe(1)
    t.fire()
    await done
    expect(await inner.get('meta', 'a')).toBe(1)
    expect(d.stats.delayedCommits).toBe(1)
  })

  it('failing commits abort with STORAGE_UNAVAILABLE at about the rate set, and write nothing', async () => {
    const inner = new MemoryDisk('d')
    const d = new FaultyDisk(inner, { random: seededRandom(7), sleep: manual().sleep })
    d.setFaults(mergeDiskFaults(NO_DISK_FAULTS, { commitFailRate: 0.3 }))
    let failed = 0
    for (let i = 0; i < 1000; i++) {
      const c = await code(d.commit([put(`k${i}`, i)]))
      if (c !== 'ok') {
        expect(c).toBe('STORAGE_UNAVAILABLE')
        expect(await inner.get('meta', `k${i}`)).toBeUndefined()
        failed++
      }
    }
    expect(failed).toBeGreaterThan(250)
    expect(failed).toBeLessThan(350)
    expect(d.stats.failedCommits).toBe(failed)
  })

  it('a quota refuses the commit that would pass it with QUOTA_EXCEEDED, and counts from when it was set', async () => {
    const inner = new MemoryDisk('d')
    const d = new FaultyDisk(inner, { random: seededRandom(1), sleep: manual().sleep })
    await d.commit([put('before', 'x'.repeat(500))])
    d.setFaults(mergeDiskFaults(NO_DISK_FAULTS, { quotaBytes: 300 }))
    expect(await code(d.commit([put('a', 'x'.repeat(100))]))).toBe('ok')
    expect(await code(d.commit([put('b', 'x'.repeat(250))]))).toBe('QUOTA_EXCEEDED')
    expect(await inner.get('meta', 'b')).toBeUndefined()
    expect(d.stats.quotaRefusals).toBe(1)
  })

  it('a kill mid-commit leaves a torn WAL tail that recovery drops; without the fault nothing is written', async () => {
    for (const torn of [true, false]) {
      const inner = new MemoryDisk('d')
      const t = manual()
      const d = new FaultyDisk(inner, { random: seededRandom(1), sleep: t.sleep })
      const rec = (k: string) =>
        encodeWalRecord([k], [{ value: 'v', tombstone: false, meta: null, writtenAtMs: 1 }])
      await d.commit([{ type: 'put', store: 'wal', key: 1, value: rec('a') }])
      d.setFaults(mergeDiskFaults(NO_DISK_FAULTS, { commitDelayMs: 10, tornTailOnKill: torn }))
      let settled = false
      void d
        .commit([
          { type: 'put', store: 'wal', key: 2, value: rec('b') },
          put('node', 'meta of the lost commit'),
        ])
        .finally(() => {
          settled = true
        })
      await Promise.resolve()
      expect(await d.crash()).toBe(torn)
      t.fire()
      await new Promise((r) => setTimeout(r, 0))
      expect(settled).toBe(false) // the dead incarnation's commit never completes
      expect(await inner.get('meta', 'node')).toBeUndefined()
      expect((await inner.getRange('wal')).length).toBe(torn ? 2 : 1)
      const loaded = await loadLsmState(inner)
      expect(loaded.walTailDropped).toBe(torn ? 1 : 0)
      expect(loaded.wal.map((w) => w.key)).toEqual(['a'])
    }
  })

  it('rejects bad fault settings with BAD_INPUT naming the field', () => {
    for (const bad of [
      { commitDelayMs: -1 },
      { commitDelayMs: Number.NaN },
      { commitFailRate: 1.5 },
      { quotaBytes: 1.5 },
      { tornTailOnKill: 'yes' },
      { slowness: 3 },
      null,
    ]) {
      let c = 'ok'
      try {
        mergeDiskFaults(NO_DISK_FAULTS, bad)
      } catch (e) {
        c = isDbError(e) ? e.code : 'uncoded'
      }
      expect(c, JSON.stringify(bad)).toBe('BAD_INPUT')
    }
  })
})

describe('FaultyDisk io counters', () => {
  it('counts point reads, range reads and their entries, commits, and puts per store', async () => {
    const disk = new FaultyDisk(new MemoryDisk('io'), { random: seededRandom(1), sleep: manual().sleep })
    await disk.commit([put('a', 1), put('b', 2), { type: 'put', store: 'wal', key: 1, value: 'x' }])
    await disk.commit([{ type: 'delete', store: 'meta', key: 'a' }])
    await disk.commit([])
    await disk.get('meta', 'b')
    await disk.get('sst', 'nope')
    expect(await disk.getRange('meta')).toHaveLength(1)
    expect(disk.io).toEqual({
      gets: { meta: 1, sst: 1 },
      rangeReads: { meta: 1 },
      rangeEntries: 1,
      commits: 2,
      puts: { meta: 2, wal: 1 },
      deletes: 1,
    })
  })
})
