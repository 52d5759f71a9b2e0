/**
 * Storage faults (issue #17, "what the disk can do to a node"): slow commits, failing commits, a full
 * disk and a torn WAL tail on kill. Under each, writes the disk refuses fail with a coded error, the
 * failures are counted where the user looks (inspect, the node's snapshot, events), and the checker
 * finds every acknowledged write after the faults are removed.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { NO_DISK_FAULTS } from '../core/disk/faultyDisk'
import { isDbError } from '../core/errors'
import { replayLine, sweepSeeds } from './dynamoHarness'
import { runWorkload, verdictAfterQuiesce } from './dynamoWorkload'

const FILE = 'src/sim/diskFaults.test.ts'

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'ok'
  } catch (e) {
    return isDbError(e) ? e.code : String(e)
  }
}

describe('injected disk faults', () => {
  it('a slow disk makes writes it coordinates at ONE take at least the commit delay', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 1, antiEntropyIntervalMs: 0 })
    const t0 = c.sim.nowMs
    await c.put(1, 'fast', 'v', { level: 'ONE' })
    const fast = c.sim.nowMs - t0
    await c.setDiskFaults(1, { commitDelayMs: 250 })
    const t1 = c.sim.nowMs
    await c.put(1, 'slow', 'v', { level: 'ONE' })
    expect(c.sim.nowMs - t1).toBeGreaterThanOrEqual(250)
    expect(fast).toBeLessThan(250)
    const i = (await c.inspect(1)) as unknown as { diskFaults: { stats: { delayedCommits: number } } }
    expect(i.diskFaults.stats.delayedCommits).toBeGreaterThan(0)
    await c.shutdown()
  })

  it('failing commits refuse writes with STORAGE_UNAVAILABLE, are counted, and the cluster keeps serving', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 2, antiEntropyIntervalMs: 0 })
    await c.setDiskFaults(0, { commitFailRate: 1 })
    expect(await codeOf(c.put(0, 'k', 'v', { level: 'ONE' }))).toBe('STORAGE_UNAVAILABLE')
    // Another coordinator's quorum write still succeeds: node_0 answers with an error, two others ack.
    expect(await codeOf(c.put(1, 'k2', 'v2', { level: 'QUORUM' }))).toBe('ok')
    const i = (await c.inspect(0)) as unknown as { diskFaults: { stats: { failedCommits: number } } }
    expect(i.diskFaults.stats.failedCommits).toBeGreaterThan(0)
    expect(c.events.toArray().some((e) => e.type === 'disk-fault' && e.node === 'node_0')).toBe(true)
    await c.setDiskFaults(0, NO_DISK_FAULTS)
    expect(await codeOf(c.put(0, 'k', 'v', { level: 'ONE' }))).toBe('ok')
    await c.shutdown()
  })

  it('a replica whose commit failed applies the resend once its disk recovers (no phantom "newer" version)', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 5, antiEntropyIntervalMs: 0 })
    await c.setDiskFaults(1, { commitFailRate: 1 })
    // W=1 at node_0: acknowledged; node_1's apply fails, so node_0 keeps the op pending for it.
    await c.put(0, 'k', 'v1', { level: 'ONE' })
    await c.runFor(200)
    await c.setDiskFaults(1, NO_DISK_FAULTS)
    c.autoDrive = true
    await c.settle()
    const rows = await c.liveNode(1).engine.scan({})
    expect(rows.map((r) => [r.key, r.record.value])).toEqual([['k', 'v1']])
    await c.shutdown()
  })

  it('a full disk refuses writes with QUOTA_EXCEEDED', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 3, antiEntropyIntervalMs: 0 })
    await c.setDiskFaults(2, { quotaBytes: 2000 })
    const codes: string[] = []
    for (let i = 0; i < 40; i++)
      codes.push(await codeOf(c.put(2, `q${i}`, 'x'.repeat(100), { level: 'ONE' })))
    expect(codes[0]).toBe('ok')
    expect(codes).toContain('QUOTA_EXCEEDED')
    expect(codes.filter((x) => x !== 'ok' && x !== 'QUOTA_EXCEEDED')).toEqual([])
    await c.shutdown()
  })

  it('a kill mid-commit with the torn-tail fault: recovery drops the torn record and nothing acknowledged is lost', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 4, antiEntropyIntervalMs: 0 })
    const acked: string[] = []
    for (let i = 0; i < 5; i++) {
      await c.put(1, `t${i}`, `v${i}`, { level: 'ONE' })
      acked.push(`t${i}`)
    }
    await c.setDiskFaults(1, { commitDelayMs: 100, tornTailOnKill: true })
    const inFlight = c.put(1, 'torn', 'never acknowledged', { level: 'ONE' }).then(
      () => 'ok',
      (e) => (isDbError(e) ? e.code : 'uncoded'),
    )
    await c.runFor(20) // the commit is waiting on the slow disk
    await c.kill(1)
    expect(await inFlight).toBe('NODE_DOWN')
    expect(c.events.toArray().some((e) => e.type === 'disk-fault' && /torn WAL/.test(e.detail ?? ''))).toBe(
      true,
    )
    await c.setDiskFaults(1, NO_DISK_FAULTS)
    await c.restart(1)
    const i = (await c.inspect(1)) as unknown as { storage: { corruption: { walTailDropped: number } } }
    expect(i.storage.corruption.walTailDropped).toBe(1)
    for (const k of acked) expect(await c.get(1, k, { level: 'ONE' })).toBe(`v${acked.indexOf(k)}`)
    await c.shutdown()
  })

  it('sweep: failing, slow and full disks with kills and partitions lose no acknowledged write (strict quorum)', async () => {
    const failures: string[] = []
    let refused = 0
    for (const seed of sweepSeeds(40)) {
      const run = await runWorkload(seed, {
        cluster: {
          numNodes: 5,
          replicationFactor: 3,
          writeQuorum: 2,
          readQuorum: 2,
          sloppyQuorum: false,
          antiEntropyIntervalMs: 0,
        },
        partitions: 1,
        kills: 2,
        beforeStart: async (c) => {
          await c.setDiskFaults(1, { commitFailRate: 0.3, commitDelayMs: 30, tornTailOnKill: true })
          await c.setDiskFaults(3, { quotaBytes: 6000, tornTailOnKill: true })
        },
      })
      const c = run.cluster
      refused += (run.errorCodes.STORAGE_UNAVAILABLE ?? 0) + (run.errorCodes.QUOTA_EXCEEDED ?? 0)
      for (const ref of [1, 3]) await c.setDiskFaults(ref, NO_DISK_FAULTS)
      c.autoDrive = true
      for (let i = 0; i < 5; i++) if (c.nodes[i].status === 'down') await c.restart(i)
      const { divergences, lost } = await verdictAfterQuiesce(run)
      if (divergences.length > 0 || lost.length > 0)
        failures.push(
          `${replayLine(seed, FILE)} — ${divergences.length} divergent keys, ${lost.length} lost writes; faults ${run.faults.join('; ')}`,
        )
      await c.shutdown()
    }
    if (failures.length > 0) console.error(failures.join('\n'))
    expect(failures).toEqual([])
    expect(refused).toBeGreaterThan(0) // the faults really fired
  })
})
