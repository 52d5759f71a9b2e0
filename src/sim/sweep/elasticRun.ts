/**
 * One randomized elastic-cluster run for the seed sweep: a workload of puts through random nodes
 * while membership changes (addNode, removeNode, transferPartition, and split/merge) run one after
 * another and faults (kills, restarts, partitions) play out; then heal, restart every member, settle,
 * run an anti-entropy round, and read every key that had an acknowledged write. Everything derives
 * from `seed`, so a failing seed replays exactly. To see a replay: DEBUG_LOG=1 prints the changes and
 * faults as they happen, DEBUG_KEY=k adds which nodes own and hold key k after each change.
 */
import { createSimCluster } from '../../cluster/createCluster'
import type { ClusterOptions } from '../../cluster/types'
import { isDbError } from '../../core/errors'
import { type Random, seededRandom } from '../../core/random'
import { compareVersions, type Version } from '../../core/replication/version'
import type { SimCluster } from '../simCluster'

export type Strategy = 'ring' | 'hash' | 'range'

export interface ElasticRunOptions {
  replicationFactor: number
  strategy: Strategy
  ops?: number
  keys?: number
  durationMs?: number
}

export interface ElasticRunResult {
  seed: number
  /** One line per acknowledged key whose final read is missing or older than its newest ack. */
  lost: string[]
  /** Membership changes and faults as they happened ("addNode → node_3", "kill node_1", …). */
  log: string[]
  acked: number
  /** Membership changes that completed (not refused or rolled back). */
  changesDone: number
  cluster: SimCluster
}

const RANGES: Array<[string, string | null]> = [
  ['a', 'h'],
  ['h', 'p'],
  ['p', null],
]

function strategyOptions(s: Strategy): Partial<ClusterOptions> {
  if (s === 'hash') return { partitionStrategy: 'hash', numPartitions: 8 }
  if (s === 'range') return { partitionStrategy: 'range', keyRanges: RANGES }
  return { partitionsPerNode: 4 }
}

/** Runs one seed. */
export async function elasticRun(seed: number, opts: ElasticRunOptions): Promise<ElasticRunResult> {
  const rnd = seededRandom(seed)
  const c = await createSimCluster(
    { numNodes: 3, seed, replicationFactor: opts.replicationFactor, ...strategyOptions(opts.strategy) },
    { traceMessages: false },
  )
  c.autoDrive = false
  const log: string[] = []
  if (process.env.DEBUG_LOG)
    log.push = (...xs: string[]) => {
      for (const x of xs) console.log(x)
      return 0
    }
  const newest = new Map<string, { value: string; version: Version }>()
  const pending: Array<Promise<unknown>> = []
  let changes: Promise<unknown> = Promise.resolve()
  let changesDone = 0
  const opsTotal = opts.ops ?? 60
  const keyCount = opts.keys ?? 24
  const durationMs = opts.durationMs ?? 12_000
  const stepMs = durationMs / opsTotal
  const keyOf = (i: number): string => `${String.fromCharCode(97 + ((i * 7) % 26))}${i}`
  for (let i = 0; i < opsTotal; i++) {
    const r = rnd.next()
    if (r < 0.12) {
      const change = randomChange(c, rnd, opts.strategy)
      changes = changes.then(async () => {
        const what = await change.describe()
        try {
          await change.run()
          changesDone++
          log.push(`${what} ok @${c.sim.nowMs}${await debugHolders(c)}`)
        } catch (e) {
          if (!isDbError(e)) throw e
          log.push(`${what} refused ${e.code} @${c.sim.nowMs}${await debugHolders(c)}`)
        }
      })
    } else if (r < 0.24) log.push(`${randomFault(c, rnd)} @${c.sim.nowMs}`)
    const members = c.nodes.filter((n) => n.status === 'up')
    if (members.length > 0) {
      const via = members[rnd.int(members.length)].id
      const key = keyOf(rnd.int(keyCount))
      const value = `v${seed}-${i}`
      pending.push(
        c.put(via, key, value).then(
          (w) => {
            const prev = newest.get(key)
            if (!prev || compareVersions(w.version, prev.version) > 0)
              newest.set(key, { value, version: w.version })
          },
          () => {},
        ),
      )
    }
    await c.runFor(stepMs)
  }
  // Let the last change finish (time must move for it), then heal and bring every member back.
  let changesOver = false
  void changes.finally(() => {
    changesOver = true
  })
  for (let guard = 0; !changesOver && guard < 600; guard++) await c.runFor(1000)
  await changes
  c.heal()
  for (const n of c.nodes) {
    if (n.status === 'paused') await c.resume(n.id)
    if (n.status === 'down') await c.restart(n.id)
  }
  await c.runFor(5000)
  if (process.env.DEBUG_LOG) console.log('settling')
  await c.settle({ timeoutMs: 120_000 })
  if (process.env.DEBUG_LOG) console.log('settled')
  await c.sim.settleMicrotasks()
  c.autoDrive = true
  await Promise.all(pending)
  if (process.env.DEBUG_LOG) console.log('pending done')
  for (const n of c.nodes) await c.antiEntropy(n.id)
  if (process.env.DEBUG_LOG) console.log('anti-entropy done')
  await c.settle({ timeoutMs: 120_000 })
  const lost: string[] = []
  const readers = c.nodes.map((n) => n.id)
  let turn = 0
  for (const [key, w] of newest) {
    const via = readers[turn++ % readers.length]
    try {
      const got = await c.read(via, key)
      if (!got.version || compareVersions(got.version, w.version) < 0)
        lost.push(
          `${key}: acked ${w.value} @${w.version.ts}/${w.version.node}, read ${JSON.stringify(got.value)} via ${via}`,
        )
    } catch (e) {
      lost.push(`${key}: acked ${w.value}, read failed via ${via}: ${String(e)}`)
    }
  }
  return { seed, lost, log, acked: newest.size, changesDone, cluster: c }
}

interface Change {
  /** Resolved when the change starts (the cluster as it is then). */
  describe(): Promise<string>
  run(): Promise<unknown>
}

/** A membership change, chosen now, its target resolved when it starts. */
function randomChange(c: SimCluster, rnd: Random, strategy: Strategy): Change {
  const kind = rnd.int(strategy === 'ring' ? 3 : 4)
  const pick = rnd.next()
  const pick2 = rnd.next()
  let what = ''
  let run: () => Promise<unknown> = async () => {}
  return {
    describe: async () => {
      const members = c.nodes.map((n) => n.id)
      const parts = c.getPartitionMap().partitions
      if (kind === 0 || (kind === 1 && members.length <= 2)) {
        what = 'addNode'
        run = async () => {
          const id = await c.addNode()
          what = `addNode → ${id}`
        }
      } else if (kind === 1) {
        const id = members[Math.floor(pick * members.length)]
        what = `removeNode ${id}`
        run = () => c.removeNode(id)
      } else if (kind === 2) {
        const pid = Math.floor(pick * parts.length)
        const from = parts[pid].node
        const others = members.filter((m) => m !== from)
        const to = others[Math.floor(pick2 * others.length)]
        what = `transferPartition ${pid} ${from} → ${to}`
        run = () => c.transferPartition(from, to, pid)
      } else if (strategy === 'range' && pick2 < 0.5 && parts.length > 1) {
        const a = Math.floor(pick * (parts.length - 1))
        what = `mergePartitions ${a} ${a + 1}`
        run = () => c.mergePartitions(a, a + 1)
      } else {
        const pid = Math.floor(pick * parts.length)
        what = `splitPartition ${pid}`
        run = () => c.splitPartition(pid)
      }
      return what
    },
    run: () => run(),
  }
}

/** A fault among kill, restart, partition and heal, on the current members. */
function randomFault(c: SimCluster, rnd: Random): string {
  const members = c.nodes.map((n) => n.id)
  const a = members[rnd.int(members.length)]
  switch (rnd.int(4)) {
    case 0:
      void c.kill(a)
      return `kill ${a}`
    case 1: {
      const down = c.nodes.filter((n) => n.status === 'down')
      if (down.length === 0) return 'restart (none down)'
      const id = down[rnd.int(down.length)].id
      void c.restart(id).catch(() => {})
      return `restart ${id}`
    }
    case 2: {
      const groups: string[][] = [[], []]
      for (const m of members) groups[rnd.int(2)].push(m)
      c.partition(groups.filter((g) => g.length > 0))
      return `partition ${JSON.stringify(groups)}`
    }
    default:
      c.heal()
      return 'heal'
  }
}

/** With DEBUG_KEY=k: " [k owners … | node_0=value node_1 …]" (who owns and holds k now). */
async function debugHolders(c: SimCluster): Promise<string> {
  const key = process.env.DEBUG_KEY
  if (!key) return ''
  const where: string[] = []
  for (const nd of c.nodes) {
    if (nd.status !== 'up') {
      where.push(`${nd.id}:${nd.status}`)
      continue
    }
    const r = await c.liveNode(nd.id).localRow(key)
    where.push(`${nd.id}${r ? `=${r.value}` : ''}`)
  }
  const owners = c.getPartitionMap().partitions[c.getPartitionId(key)].replicas
  return ` [${key} owners ${owners.join(',')} | ${where.join(' ')}]`
}
