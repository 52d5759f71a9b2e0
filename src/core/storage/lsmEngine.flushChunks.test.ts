/**
 * A flush writes its table's blocks in several small commits behind a pending marker (so a flush
 * never holds every write behind one big transaction), and publishes the table only with the
 * manifest. A crash between two of those commits leaves an unpublished table that the next open
 * deletes, and every row is still there from the WAL.
 */
import { describe, expect, it } from 'vitest'
import type { DiskOp } from '../disk/disk'
import { MemoryDisk } from '../disk/memoryDisk'
import { createLsmEngine } from './lsmEngine'
import type { LsmOptions } from './lsmOptions'

const OPTIONS: LsmOptions = {
  memtableBytesMax: 10 * 1024 * 1024,
  tombstoneGraceMs: 5,
  valueBytesMax: 1000,
  blockCacheBytesMax: 64 * 1024,
  nowMs: () => 100,
  blockBytesMax: 1024,
}

const ROWS = 1600
const rec = (i: number) => ({ value: `v${i}`, tombstone: false, meta: null, writtenAtMs: 1 })
const isBlockPut = (ops: readonly DiskOp[]) =>
  ops.length > 0 && ops.every((o) => o.type === 'put' && o.store === 'sst' && typeof o.key === 'number')

async function filled(disk: MemoryDisk) {
  const e = createLsmEngine(disk, OPTIONS)
  await e.open()
  const batch = Array.from({ length: ROWS }, (_, i) => ({
    key: `k${String(i).padStart(5, '0')}`,
    record: rec(i),
  }))
  for (let i = 0; i < ROWS; i += 200) await e.write(batch.slice(i, i + 200))
  return e
}

describe('flush in chunks', () => {
  it('writes the blocks in more than one commit before the manifest names the table', async () => {
    const disk = new MemoryDisk('chunks')
    const e = await filled(disk)
    const commits: string[] = []
    disk.hooks = {
      beforeCommit: (ops) => {
        commits.push(
          isBlockPut(ops) ? 'blocks' : ops.some((o) => o.store === 'manifest') ? 'publish' : 'other',
        )
      },
    }
    await e.flush()
    expect(commits.filter((c) => c === 'blocks').length).toBeGreaterThanOrEqual(2)
    expect(commits.at(-1)).toBe('publish')
    expect(e.inspect().levels[0].tables.length).toBe(1)
    expect((await e.get('k00042'))?.value).toBe('v42')
  })

  it('a crash after some block commits: the unpublished table is deleted on open, every row is kept', async () => {
    const disk = new MemoryDisk('chunks-crash')
    const e = await filled(disk)
    let blockCommits = 0
    disk.hooks = {
      beforeCommit: (ops) => {
        if (isBlockPut(ops) && ++blockCommits === 2) throw new Error('crash')
      },
    }
    await e.flush().catch(() => {})
    disk.hooks = {}
    const reopened = createLsmEngine(disk, OPTIONS)
    await reopened.open()
    expect(
      reopened.inspect().levels.flat().length === 0 || reopened.inspect().levels[0].tables.length === 0,
    ).toBe(true)
    const sst = await disk.getRange('sst')
    expect(sst.length).toBe(0) // the marker and the blocks written before the crash are gone
    for (const i of [0, 499, 500, 1599])
      expect((await reopened.get(`k${String(i).padStart(5, '0')}`))?.value).toBe(`v${i}`)
  })
})
