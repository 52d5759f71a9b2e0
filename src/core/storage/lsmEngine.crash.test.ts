/**
 * Crash safety and model-based tests on MemoryDisk. A "crash" fences the engine object (it can no
 * longer reach the disk), then a new engine opens the same MemoryDisk. MemoryDisk.hooks.beforeCommit
 * throwing models the process dying at that commit: that commit and every later one never happen.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemoryDisk } from '../disk/memoryDisk'
import { DiskProbe } from './diskProbe'
import type { KeyedRecord } from './engine'
import { createLsmEngine, type LsmEngine } from './lsmEngine'
import type { LsmOptions } from './lsmOptions'
import { MANIFEST_KEY, type Manifest } from './manifest'
import { isTableMeta, META_KEY_LOWER, META_KEY_UPPER } from './tableFormat'

const OPTIONS: LsmOptions = {
  memtableBytesMax: 700,
  tombstoneGraceMs: 5,
  valueBytesMax: 1000,
  blockCacheBytesMax: 2048,
  nowMs: () => 100,
  blockBytesMax: 200,
  tableBytesTarget: 900,
  l0TablesMax: 2,
  levelBytesBase: 1500,
}

type Model = Map<string, number | null>

class Node {
  readonly disk = new MemoryDisk('crash')
  readonly model: Model = new Map()
  probe = new DiskProbe(this.disk)
  engine: LsmEngine = createLsmEngine(this.probe, OPTIONS)

  async restart(clean: boolean): Promise<void> {
    if (clean) await this.engine.close()
    this.probe.fenced = true
    this.disk.hooks = {}
    this.probe = new DiskProbe(this.disk)
    this.engine = createLsmEngine(this.probe, OPTIONS)
    await this.engine.open()
  }

  /** Writes and records in the model only what was acknowledged. */
  async write(batch: KeyedRecord[]): Promise<boolean> {
    try {
      await this.engine.write(batch)
    } catch {
      return false
    }
    for (const { key, record } of batch)
      this.model.set(key, record.tombstone ? null : (record.value as number))
    return true
  }

  async expectMatchesModel(): Promise<void> {
    const live = [...this.model].filter(([, v]) => v !== null).sort(([a], [b]) => (a < b ? -1 : 1))
    const scanned = (await this.engine.scan()).map((r) => [r.key, r.record.value])
    expect(scanned).toEqual(live)
    for (const [k, v] of this.model) {
      const got = await this.engine.get(k)
      expect(got?.tombstone ? null : (got?.value ?? null)).toBe(v)
    }
  }

  /** Every block and meta in 'sst' belongs to a table the manifest names. */
  async expectNoGarbage(): Promise<void> {
    const manifest = (await this.disk.get('manifest', MANIFEST_KEY)) as Manifest | undefined
    const live = new Set(manifest?.levels.flat() ?? [])
    const metas = await this.disk.getRange('sst', { lower: META_KEY_LOWER, upper: META_KEY_UPPER })
    expect(metas.map((m) => (m.value as { id: number }).id).sort()).toEqual([...live].sort())
    const blocks = metas.reduce((s, m) => s + (isTableMeta(m.value) ? m.value.blockFirstKeys.length : 0), 0)
    expect(this.disk.size('sst')).toBe(blocks + metas.length)
  }
}

const rec = (key: string, value: number | null): KeyedRecord => ({
  key,
  record: {
    value,
    tombstone: value === null,
    meta: { lamport: value },
    writtenAtMs: value === null ? 0 : 100,
  },
})

/** Writes, overwrites and deletes enough to cause several flushes and compactions, then forces both. */
async function scenario(node: Node): Promise<void> {
  for (let round = 0; round < 12; round++) {
    const batch: KeyedRecord[] = []
    for (let i = 0; i < 6; i++) {
      const k = `k${String((round * 5 + i * 3) % 25).padStart(2, '0')}`
      batch.push(rec(k, (round + i) % 5 === 0 ? null : round * 10 + i))
    }
    await Promise.all([node.write(batch.slice(0, 3)), node.write(batch.slice(3))])
  }
  await node.engine.flush().catch(() => {})
  await node.engine.compact().catch(() => {})
  await node.engine.whenIdle()
}

describe('LSM crash safety', () => {
  it('crash at every commit of writes, flushes and compactions: acknowledged writes survive, nothing half-applied', async () => {
    const dry = new Node()
    await dry.engine.open()
    await scenario(dry)
    const commitsTotal = dry.disk.commits
    expect(commitsTotal).toBeGreaterThan(20)
    expect(dry.engine.inspect().compactions.length).toBeGreaterThan(0)
    for (let crashAt = 1; crashAt <= commitsTotal; crashAt++) {
      const node = new Node()
      await node.engine.open()
      let seen = 0
      node.disk.hooks.beforeCommit = () => {
        if (++seen >= crashAt) throw new Error(`crash at commit ${crashAt}`)
      }
      await scenario(node)
      await node.restart(false)
      await node.expectMatchesModel().catch((e) => {
        throw new Error(`crashAt=${crashAt}: ${String(e)}`)
      })
      await node.expectNoGarbage()
      await node.engine.flush()
      await node.engine.compact()
      await node.expectMatchesModel()
    }
  })
})

type Op =
  | { t: 'put'; k: number; v: number }
  | { t: 'del'; k: number }
  | { t: 'burst'; ks: number[] }
  | { t: 'get'; k: number }
  | { t: 'scan'; from: number; to: number; limit: number }
  | { t: 'flush' }
  | { t: 'compact' }
  | { t: 'crashAt'; after: number }
  | { t: 'reopen' }

const key = (k: number): string => `p${String(k).padStart(2, '0')}`
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('put' as const), k: fc.nat(40), v: fc.nat(1e6) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('del' as const), k: fc.nat(40) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('burst' as const),
      ks: fc.array(fc.nat(40), { minLength: 2, maxLength: 12 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('get' as const), k: fc.nat(40) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('scan' as const),
      from: fc.nat(40),
      to: fc.nat(41),
      limit: fc.integer({ min: 1, max: 50 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'flush' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'compact' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('crashAt' as const), after: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'reopen' as const }) },
)

async function runOps(ops: Op[]): Promise<void> {
  const node = new Node()
  await node.engine.open()
  let counter = 0
  for (const op of ops) {
    switch (op.t) {
      case 'put':
        await node.write([rec(key(op.k), op.v)])
        break
      case 'del':
        await node.write([rec(key(op.k), null)])
        break
      case 'burst':
        await Promise.all(op.ks.map((k) => node.write([rec(key(k), ++counter)])))
        break
      case 'get': {
        const got = await node.engine.get(key(op.k))
        expect(got?.tombstone ? null : (got?.value ?? null)).toBe(node.model.get(key(op.k)) ?? null)
        break
      }
      case 'scan': {
        const [start, end] = [key(op.from), key(op.to)]
        const expected = [...node.model]
          .filter(([k, v]) => v !== null && k >= start && k < end)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .slice(0, op.limit)
        const got = await node.engine.scan({ start, end, limit: op.limit })
        expect(got.map((r) => [r.key, r.record.value])).toEqual(expected)
        break
      }
      case 'flush':
        await node.engine.flush()
        break
      case 'compact':
        await node.engine.compact()
        break
      case 'crashAt': {
        let seen = 0
        node.disk.hooks.beforeCommit = () => {
          if (++seen > op.after) throw new Error('crash')
        }
        await Promise.all([node.write([rec(key(op.after), ++counter)]), node.engine.flush().catch(() => {})])
        await node.engine.compact().catch(() => {})
        await node.restart(false)
        await node.expectMatchesModel()
        await node.expectNoGarbage()
        break
      }
      case 'reopen':
        await node.restart(true)
        await node.expectMatchesModel()
        break
    }
  }
  await node.engine.whenIdle()
  await node.expectMatchesModel()
  await node.restart(false)
  await node.expectMatchesModel()
}

describe('LSM engine against a Map model (fast-check)', () => {
  it('random put/delete/get/scan/flush/compact/crash/reopen sequences agree with the model (seed 7331)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 80 }), runOps), {
      seed: 7331,
      numRuns: 120,
    })
  })
})
