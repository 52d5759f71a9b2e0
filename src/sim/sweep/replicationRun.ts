/**
 * One randomized replication run for the seed sweep: a workload of puts and deletes issued through
 * random nodes while a random fault schedule (partitions, one-way cuts, loss, duplication, reordering,
 * kills, restarts, pauses) plays out; then heal, restart everything and settle. Returns what the
 * checks need. Everything derives from `seed`, so a failing seed replays exactly.
 */
import { createSimCluster } from '../../cluster/createCluster'
import type { ClusterOptions } from '../../cluster/types'
import type { ClusterEvent } from '../../core/events'
import { seededRandom } from '../../core/random'
import type { Version } from '../../core/replication/version'
import type { SimCluster } from '../simCluster'

export interface AckedWrite {
  key: string
  value: string | null
  version: Version
}

export interface RunResult {
  seed: number
  acked: AckedWrite[]
  /** Every write issued (acked, failed or unknown) by value, to recognise final values. */
  issuedValues: Set<string>
  /** Per node, key → {value, version}, including tombstones (value null). */
  finalStates: Array<Map<string, { value: string | null; version: Version }>>
  appliedTwice: string[]
  /** Client operations still unsettled after heal and quiescence (each must succeed or fail). */
  unsettled: number
  faultsApplied: string[]
  cluster: SimCluster
}

export interface RunOptions {
  numNodes?: number
  ops?: number
  keys?: number
  durationMs?: number
  cluster?: Partial<ClusterOptions>
}

/** Runs one seed. */
export async function replicationRun(seed: number, opts: RunOptions = {}): Promise<RunResult> {
  const numNodes = opts.numNodes ?? 3
  const rnd = seededRandom(seed)
  const applied = new Map<string, number>()
  const appliedTwice: string[] = []
  const onEvent = (e: ClusterEvent): void => {
    if (e.type !== 'apply' || !e.opId) return
    const k = `${e.node}/${e.opId}`
    const n = (applied.get(k) ?? 0) + 1
    applied.set(k, n)
    if (n === 2) appliedTwice.push(k)
  }
  const c = await createSimCluster(
    { numNodes, seed, consistency: 'ONE', ...opts.cluster },
    { onEvent, traceMessages: false },
  )
  c.autoDrive = false
  const acked: AckedWrite[] = []
  const issuedValues = new Set<string>()
  const faultsApplied: string[] = []
  const pending: Array<Promise<unknown>> = []
  let settledOps = 0
  const opsTotal = opts.ops ?? 40
  const keys = opts.keys ?? 4
  const durationMs = opts.durationMs ?? 8000
  const stepMs = durationMs / opsTotal
  for (let i = 0; i < opsTotal; i++) {
    if (rnd.next() < 0.3) faultsApplied.push(randomFault(c, rnd, numNodes))
    const node = rnd.int(numNodes)
    const key = `k${rnd.int(keys)}`
    const del = rnd.next() < 0.15
    const value = del ? null : `v${seed}-${i}`
    if (value) issuedValues.add(value)
    if (c.nodes[node].status === 'up') {
      const p = del ? c.delete(node, key) : c.put(node, key, value as string)
      pending.push(
        p
          .then((r) => void acked.push({ key, value, version: r.version }))
          .catch(() => {})
          .finally(() => settledOps++),
      )
    }
    await c.runFor(stepMs)
  }
  // Heal everything, bring every node back, let the system quiesce.
  c.heal()
  for (const n of c.nodes) {
    if (n.status === 'paused') await c.resume(n.id)
    if (n.status === 'down') await c.restart(n.id)
  }
  await c.runFor(5000)
  await c.settle({ timeoutMs: 120_000 })
  // Every client op has had its timeouts by now; one that never settles is a bug (a coordinator killed
  // mid-commit once left its op pending forever), reported rather than hanging the sweep.
  await c.sim.settleMicrotasks()
  const unsettled = pending.length - settledOps
  const finalStates: RunResult['finalStates'] = []
  for (let i = 0; i < numNodes; i++) {
    const node = c.liveNode(i)
    const rows = await node.engine.scan({ includeTombstones: true })
    const m = new Map<string, { value: string | null; version: Version }>()
    for (const r of rows) {
      const meta = r.record.meta as { ts: number; node: Version['node'] }
      m.set(r.key, {
        value: r.record.tombstone ? null : (r.record.value as string),
        version: { ts: meta.ts, node: meta.node },
      })
    }
    finalStates.push(m)
  }
  return { seed, acked, issuedValues, finalStates, appliedTwice, unsettled, faultsApplied, cluster: c }
}

function randomFault(c: SimCluster, rnd: ReturnType<typeof seededRandom>, numNodes: number): string {
  const a = rnd.int(numNodes)
  let b = rnd.int(numNodes - 1)
  if (b >= a) b++
  switch (rnd.int(9)) {
    case 0: {
      const groups: number[][] = [[], []]
      for (let i = 0; i < numNodes; i++) groups[rnd.int(2)].push(i)
      c.partition(groups.filter((g) => g.length > 0))
      return `partition ${JSON.stringify(groups)}`
    }
    case 1:
      c.setLink(a, b, { cut: true })
      return `cut ${a}>${b}`
    case 2:
      c.setLink(a, b, { lossRate: 0.3 + rnd.next() * 0.6 })
      return `loss ${a}>${b}`
    case 3:
      c.setLink(a, b, { duplicateRate: 0.5, jitterMs: 40 })
      return `dup+reorder ${a}>${b}`
    case 4:
      c.setLink(a, b, { latencyMs: 20 + rnd.int(200), jitterMs: 100 })
      return `slow ${a}>${b}`
    case 5:
      void c.kill(a)
      return `kill ${a}`
    case 6:
      void c.restart(a)
      return `restart ${a}`
    case 7:
      if (c.nodes[a].status === 'up') void c.pause(a)
      else void c.resume(a)
      return `pause/resume ${a}`
    default:
      c.heal()
      return 'heal'
  }
}
