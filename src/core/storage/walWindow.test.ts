import { describe, expect, it } from 'vitest'
import { fakeTime, settle } from '../batching/fakeTime.testUtil'
import { MemoryDisk } from '../disk/memoryDisk'
import { createLsmEngine } from './lsmEngine'

async function run(batchWindowMsMax: number) {
  const t = fakeTime()
  const disk = new MemoryDisk('w')
  const engine = createLsmEngine(disk, {
    memtableBytesMax: 1 << 24,
    tombstoneGraceMs: 0,
    valueBytesMax: 1 << 20,
    blockCacheBytesMax: 0,
    nowMs: t.clock.nowMs,
    timers: t.timers,
    batchWindowMsMax,
  })
  await engine.open()
  const commitsBefore = disk.commits
  const durable: Promise<void>[] = []
  // 2,000 writes/s from independent writers for 200 ms of fake time.
  for (let i = 0; i < 400; i++) {
    durable.push(
      engine.write([{ key: `k${i}`, record: { value: 'v', tombstone: false, meta: null, writtenAtMs: 0 } }]),
    )
    await t.advance(0.5)
  }
  await t.advance(10)
  await Promise.all(durable)
  const loadCommits = disk.commits - commitsBefore
  const underLoad = engine.inspect().groupCommit
  return { t, disk, engine, loadCommits, underLoad }
}

describe('group-commit batching window', () => {
  it('under load it opens and gathers writes into fewer commits; idle, it closes and a write commits at once', async () => {
    const off = await run(0)
    const on = await run(4)
    expect(off.loadCommits).toBe(400)
    expect(on.loadCommits).toBeLessThan(off.loadCommits / 4)
    expect(on.underLoad?.windowMsMax).toBe(4)
    expect(on.underLoad?.writes).toBe(400)
    // Idle for a second: the window is shut, and one write is durable without any timer firing.
    await on.t.advance(1000)
    expect(on.engine.inspect().groupCommit?.windowMs).toBe(0)
    let done = false
    void on.engine
      .write([{ key: 'x', record: { value: 'v', tombstone: false, meta: null, writtenAtMs: 0 } }])
      .then(() => {
        done = true
      })
    await settle()
    expect(done).toBe(true)
    expect(on.t.pending()).toBe(0)
  })

  it('shows the window open while the load lasts', async () => {
    const t = fakeTime()
    const engine = createLsmEngine(new MemoryDisk('w2'), {
      memtableBytesMax: 1 << 24,
      tombstoneGraceMs: 0,
      valueBytesMax: 1 << 20,
      blockCacheBytesMax: 0,
      nowMs: t.clock.nowMs,
      timers: t.timers,
      batchWindowMsMax: 4,
    })
    await engine.open()
    expect(engine.inspect().groupCommit?.windowMs).toBe(0)
    for (let i = 0; i < 100; i++) {
      void engine.write([
        { key: `k${i}`, record: { value: 'v', tombstone: false, meta: null, writtenAtMs: 0 } },
      ])
      await t.advance(0.5)
    }
    expect(engine.inspect().groupCommit?.windowMs).toBeGreaterThan(0)
    await t.advance(1000)
    expect(engine.inspect().groupCommit?.windowMs).toBe(0)
  })
})
