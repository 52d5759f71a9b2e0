/**
 * One seeded run of the conflict-mode workload: clients add unique elements to two set keys (a
 * read-modify-write of a JSON list in `lww` and `vector` modes, the read's context carried in
 * `vector`; OR-Set adds in `crdt`), remove some, and in `crdt` mode count on a PN-Counter, while
 * partitions, kills, loss and duplication play out. The op and fault schedule comes from the seed
 * alone, so every mode runs the SAME seeds; then heal, restart, anti-entropy from every node, and
 * read every replica's final state for the checker (core/checker/conflictChecks.ts).
 */
import { createSimCluster } from '../../cluster/createCluster'
import type { ReadResult } from '../../cluster/types'
import type { ConflictCheckInput, CounterOp, SetOp } from '../../core/checker/conflictChecks'
import { canonical } from '../../core/conflict/crdt/canonical'
import type { ConsistencyMode } from '../../core/conflict/types'
import { seededRandom } from '../../core/random'
import type { SimCluster } from '../simCluster'

export interface ConflictRun {
  input: ConflictCheckInput
  faults: string[]
  /** Client ops that never settled (a bug; reported rather than hanging). */
  unsettled: number
  cluster: SimCluster
}

const SET_KEYS = ['s0', 's1']
const COUNTER = 'ctr'
const NUM_NODES = 3

/** The elements a read shows: the union of every sibling's list (one value in LWW). */
function elementsOf(r: ReadResult): Set<string> {
  const out = new Set<string>()
  for (const s of r.siblings)
    if (s.value !== null) for (const e of JSON.parse(s.value) as string[]) out.add(e)
  return out
}

export async function runConflictWorkload(
  seed: number,
  mode: ConsistencyMode,
  opts: { ops?: number; durationMs?: number } = {},
): Promise<ConflictRun> {
  const rnd = seededRandom(seed ^ 0x5bd1e995)
  const c = await createSimCluster(
    {
      numNodes: NUM_NODES,
      seed,
      consistencyMode: mode,
      crdtConfig: mode === 'crdt' ? { s0: 'orset', s1: 'orset', [COUNTER]: 'pncounter' } : undefined,
      antiEntropyIntervalMs: 0,
    },
    { traceMessages: false },
  )
  const sets: SetOp[] = []
  const counters: CounterOp[] = []
  const acked = new Map<string, string[]>(SET_KEYS.map((k) => [k, []]))
  const faults: string[] = []
  const pending: Array<Promise<unknown>> = []
  let settled = 0
  const opsTotal = opts.ops ?? 16
  const stepMs = (opts.durationMs ?? 4000) / opsTotal

  /** Read-modify-write of a set key's list (lww, vector): the put carries the read's context in vector. */
  const rmw = async (node: number, key: string, change: (s: Set<string>) => void, level?: 'ONE') => {
    const r = await c.read(node, key, level ? { level } : {})
    const els = elementsOf(r)
    change(els)
    const value = JSON.stringify([...els].sort())
    const context = mode === 'vector' ? { context: r.context } : {}
    return () => c.put(node, key, value, { ...(level ? { level } : {}), ...context })
  }

  for (let i = 0; i < opsTotal; i++) {
    if (rnd.next() < 0.3) faults.push(`t=${c.sim.nowMs} ${randomFault(c, rnd)}`)
    // Every draw happens whatever the mode, so the schedule is the same in every mode.
    const node = rnd.int(NUM_NODES)
    const roll = rnd.next()
    const key = SET_KEYS[rnd.int(SET_KEYS.length)]
    const level = rnd.next() < 0.5 ? ('ONE' as const) : undefined
    const pick = rnd.int(1000)
    const by = 1 + rnd.int(3)
    const element = `e${seed}-${i}`
    if (c.nodes[node].status !== 'up') {
      await c.runFor(stepMs)
      continue
    }
    let work: Promise<unknown> | null = null
    if (roll < 0.7) {
      const record = (outcome: 'ok' | 'info') => {
        sets.push({ key, f: 'add', element, outcome })
        if (outcome === 'ok') acked.get(key)!.push(element)
      }
      work =
        mode === 'crdt'
          ? c.applyCrdt(node, key, { add: element }, level ? { level } : {}).then(
              () => record('ok'),
              () => record('info'),
            )
          : rmw(node, key, (s) => s.add(element), level).then(
              (put) =>
                put().then(
                  () => record('ok'),
                  () => record('info'),
                ),
              () => {}, // the read failed: nothing was written
            )
    } else if (roll < 0.85) {
      const candidates = acked.get(key)!
      if (candidates.length > 0) {
        const victim = candidates[pick % candidates.length]
        const record = (outcome: 'ok' | 'info') => sets.push({ key, f: 'remove', element: victim, outcome })
        work =
          mode === 'crdt'
            ? c.applyCrdt(node, key, { remove: victim }, level ? { level } : {}).then(
                () => record('ok'),
                () => record('info'),
              )
            : rmw(node, key, (s) => s.delete(victim), level).then(
                (put) => {
                  record('info') // issued: from here on it may take effect
                  return put().catch(() => {})
                },
                () => {},
              )
      }
    } else if (mode === 'crdt') {
      const f = roll < 0.93 ? ('inc' as const) : ('dec' as const)
      const op = f === 'inc' ? { inc: by } : { dec: by }
      work = c.applyCrdt(node, COUNTER, op, level ? { level } : {}).then(
        () => void counters.push({ key: COUNTER, f, by, outcome: 'ok' }),
        () => void counters.push({ key: COUNTER, f, by, outcome: 'info' }),
      )
    }
    if (work) pending.push(work.finally(() => settled++))
    await c.runFor(stepMs)
  }
  c.heal()
  for (const n of c.nodes) {
    if (n.status === 'paused') await c.resume(n.id)
    if (n.status === 'down') await c.restart(n.id)
  }
  await c.runFor(5000)
  await c.settle({ timeoutMs: 120_000 })
  for (let i = 0; i < NUM_NODES; i++) await c.antiEntropy(i)
  await c.settle({ timeoutMs: 120_000 })
  await c.sim.settleMicrotasks()
  return {
    input: await readFinalStates(c, sets, counters),
    faults,
    unsettled: pending.length - settled,
    cluster: c,
  }
}

/** Every replica's own final state of every key (read from the node itself, no coordinator merge). */
async function readFinalStates(
  c: SimCluster,
  sets: SetOp[],
  counters: CounterOp[],
): Promise<ConflictCheckInput> {
  const finalSets: Array<Map<string, Set<string>>> = []
  const finalCounters: Array<Map<string, { inc: number; dec: number }>> = []
  const finalStates: Array<Map<string, string>> = []
  for (let i = 0; i < NUM_NODES; i++) {
    const node = c.liveNode(i)
    const setsHere = new Map<string, Set<string>>()
    const countersHere = new Map<string, { inc: number; dec: number }>()
    const states = new Map<string, string>()
    for (const key of [...SET_KEYS, COUNTER]) {
      const row = await c.drive(node.localRow(key))
      const view = node.conflict.present(key, row)
      if (!view) {
        states.set(key, row ? `${row.version.ts}@${row.version.node}:${row.value}` : 'absent')
        if (row?.value) setsHere.set(key, new Set(JSON.parse(row.value) as string[]))
        continue
      }
      states.set(key, canonical(view.kind === 'crdt' ? view.state : view.siblings))
      if (view.kind === 'vector') {
        const els = new Set<string>()
        for (const s of view.siblings)
          if (s.value !== null) for (const e of JSON.parse(s.value) as string[]) els.add(e)
        setsHere.set(key, els)
      } else if (view.type === 'orset') setsHere.set(key, new Set(view.value as string[]))
      else if (view.type === 'pncounter') {
        const st = view.state as { p: Record<string, number>; n: Record<string, number> }
        const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0)
        countersHere.set(key, { inc: sum(st.p), dec: sum(st.n) })
      }
    }
    finalSets.push(setsHere)
    finalCounters.push(countersHere)
    finalStates.push(states)
  }
  return { sets, counters, finalSets, finalCounters, finalStates }
}

function randomFault(c: SimCluster, rnd: ReturnType<typeof seededRandom>): string {
  const a = rnd.int(NUM_NODES)
  let b = rnd.int(NUM_NODES - 1)
  if (b >= a) b++
  switch (rnd.int(7)) {
    case 0: {
      const groups: number[][] = [[], []]
      for (let i = 0; i < NUM_NODES; i++) groups[rnd.int(2)].push(i)
      c.partition(groups.filter((g) => g.length > 0))
      return `partition ${JSON.stringify(groups)}`
    }
    case 1:
      c.setLink(a, b, { lossRate: 0.3 + rnd.next() * 0.6 })
      return `loss ${a}>${b}`
    case 2:
      c.setLink(a, b, { duplicateRate: 0.5, jitterMs: 40 })
      return `dup+reorder ${a}>${b}`
    case 3:
      void c.kill(a)
      return `kill ${a}`
    case 4:
      void c.restart(a)
      return `restart ${a}`
    case 5:
      c.setLink(a, b, { cut: true })
      return `cut ${a}>${b}`
    default:
      c.heal()
      return 'heal'
  }
}
