/**
 * bench:worker section `modes`: quorum writes (3 nodes, RF=3, W=2, the quorum section's pipeline)
 * in `lww`, `vector` and `crdt` clusters, run in alternating rounds in one session so drift hits all
 * three alike; CRDT increments go to 64 PN-Counters and are compared with LWW writes to the same 64
 * keys as well as to distinct keys. Then µs per sibling merge at 1, 4 and 16 siblings (bare, and
 * the node's whole resolve: parse both states, merge, digest, encode).
 */
import type { ClusterOptions } from '../src/cluster/types'
import { conflictModeFor } from '../src/core/conflict'
import { type DvvSet, mergeDvv } from '../src/core/conflict/dvv'
import type { StoredRecord } from '../src/core/storage/engine'
import type { WorkerCluster } from '../src/runtime/workerCluster'
import { dbNameOf, deleteDatabase } from '../src/runtime/workerNode'

export interface ModesHelpers {
  makeCluster(opts: Partial<ClusterOptions>): Promise<WorkerCluster>
  pipelined(
    n: number,
    window: number,
    op: (i: number) => Promise<unknown>,
  ): Promise<{ ms: number; lat: Float64Array; errors: number; firstError?: string }>
  report(section: string, name: string, value: number, unit: string, note?: string): void
  log(line: string): void
  /** Chromium CPU per op between the two calls, as bench-worker.mjs prints it ("123 µs of CPU per write (…)"). */
  cpuStart(): Promise<unknown>
  cpuStop(ops: number): Promise<unknown>
  /** With PROFILE=1: CPU profiles of the workers during round 0 of each run (bench-worker.mjs prints them). */
  profileStart(): Promise<unknown>
  profileStop(label: string): Promise<unknown>
  writes: number
  window: number
  rounds: number
  value: string
}

/** Disk requests per op across the cluster's nodes between two `diskIo` readings (inspect). */
type Io = Record<string, number>
async function diskIo(c: WorkerCluster): Promise<Io> {
  const out: Io = {}
  for (const n of c.nodes) {
    const io = ((await c.inspect(n.index)) as unknown as { diskIo?: Record<string, unknown> }).diskIo
    if (!io) continue
    for (const [k, v] of Object.entries(io)) {
      if (typeof v === 'number') out[k] = (out[k] ?? 0) + v
      else for (const [s, x] of Object.entries(v as Io)) out[`${k}.${s}`] = (out[`${k}.${s}`] ?? 0) + x
    }
  }
  return out
}
function ioPerOp(a: Io, b: Io, ops: number): string {
  return Object.keys(b)
    .map((k) => [k, ((b[k] ?? 0) - (a[k] ?? 0)) / ops] as const)
    .filter(([, x]) => x > 0.0005)
    .map(([k, x]) => `${k} ${x.toFixed(3)}`)
    .join(', ')
}

const COUNTERS = 64
const counterKey = (i: number) => `ctr-${i % COUNTERS}`

export async function modesSection(h: ModesHelpers): Promise<void> {
  const crdtConfig = Object.fromEntries(
    Array.from({ length: COUNTERS }, (_, i) => [counterKey(i), 'pncounter' as const]),
  )
  type Run = {
    name: string
    opts: Partial<ClusterOptions>
    op: (c: WorkerCluster, i: number, tag: string) => Promise<unknown>
  }
  const runs: Run[] = [
    { name: 'lww put, distinct keys', opts: {}, op: (c, i, tag) => c.put(i % 3, `${tag}-${i}`, h.value) },
    {
      name: 'vector put, distinct keys',
      opts: { consistencyMode: 'vector' },
      op: (c, i, tag) => c.put(i % 3, `${tag}-${i}`, h.value),
    },
    { name: `lww put, ${COUNTERS} hot keys`, opts: {}, op: (c, i) => c.put(i % 3, counterKey(i), h.value) },
    {
      name: `crdt pncounter inc, ${COUNTERS} counters`,
      opts: { consistencyMode: 'crdt', crdtConfig },
      op: (c, i) => c.applyCrdt(i % 3, counterKey(i), { inc: 1 }),
    },
  ]
  const rates = new Map<string, number[]>(runs.map((r) => [r.name, []]))
  /** CPU µs per op across Chromium's processes: less disturbed by a busy machine than throughput. */
  const cpus = new Map<string, number[]>(runs.map((r) => [r.name, []]))
  // Every measured window gets a cluster of its own, created for it, and the order alternates
  // (ABBA) from round to round. Measured with one long-lived cluster per mode, IndexedDB's cost per
  // write in the browser process grew with everything the profile had stored so far, so whichever
  // run came first looked cheapest and a cluster that had stored more looked dearer: that, not the
  // vector write path, made vector read 0.52x LWW (ARCHITECTURE, "Conflict-mode benchmark").
  const used: WorkerCluster[] = []
  const fresh = async (opts: Partial<ClusterOptions>): Promise<WorkerCluster> => {
    const c = await h.makeCluster(opts)
    used.push(c)
    return c
  }
  try {
    // Burn-in: the browser's first writes of a fresh profile are cheaper than any later ones.
    const burn = await fresh({})
    await h.pipelined(h.writes, h.window, (i) => burn.put(i % 3, `burn-${i}`, h.value))
    for (let round = 0; round < h.rounds; round++) {
      const order = round % 2 === 0 ? runs : runs.slice().reverse()
      for (const r of order) {
        const c = await fresh(r.opts)
        await h.pipelined(500, h.window, (i) => r.op(c, i, 'warm'))
        if (round === 0) await h.profileStart()
        const io0 = await diskIo(c)
        await h.cpuStart()
        const p = await h.pipelined(h.writes, h.window, (i) => r.op(c, i, `r${round}`))
        const cpuText = String((await h.cpuStop(h.writes)) ?? '')
        if (round === 0) await h.profileStop(`modes: ${r.name}`)
        const io = ioPerOp(io0, await diskIo(c), h.writes)
        const rate = (h.writes / p.ms) * 1000
        rates.get(r.name)!.push(rate)
        const us = Number(/^(\d+) µs/.exec(cpuText)?.[1] ?? Number.NaN)
        cpus.get(r.name)!.push(us)
        h.log(
          `modes round ${round}: ${r.name} ${rate.toFixed(0)} ops/s, ${p.errors} errors${p.firstError ? ` (${p.firstError})` : ''}; ${cpuText}; disk requests per op: ${io}`,
        )
        // Closed, not deleted: deleting a database makes the browser work in the background, which
        // would bill the next window.
        await c.shutdown({ deleteData: false })
      }
    }
  } finally {
    for (const c of used) {
      await c.shutdown({ deleteData: true })
      for (const n of c.nodes) await deleteDatabase(dbNameOf(c.options.dbPrefix, n.id)).catch(() => {})
    }
  }
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  for (const r of runs)
    h.report(
      'modes',
      `${r.name}: ${h.window} in flight`,
      median(rates.get(r.name)!),
      'ops/s',
      `rounds ${rates
        .get(r.name)!
        .map((x) => x.toFixed(0))
        .join(', ')}`,
    )
  for (const r of runs)
    h.report(
      'modes',
      `${r.name}: CPU per op`,
      median(cpus.get(r.name)!),
      'µs',
      `rounds ${cpus.get(r.name)!.join(', ')}`,
    )
  const c = (name: string) => median(cpus.get(name)!)
  h.report(
    'modes',
    'vector / lww, by CPU per op (distinct keys)',
    c(runs[0].name) / c(runs[1].name),
    '×',
    'target >= 0.8',
  )
  h.report(
    'modes',
    `crdt / lww, by CPU per op (${COUNTERS} hot keys)`,
    c(runs[2].name) / c(runs[3].name),
    '×',
    'target >= 0.8',
  )
  const m = (name: string) => median(rates.get(name)!)
  h.report('modes', 'vector / lww (distinct keys)', m(runs[1].name) / m(runs[0].name), '×', 'target >= 0.8')
  h.report(
    'modes',
    `crdt increments / lww writes (${COUNTERS} hot keys)`,
    m(runs[3].name) / m(runs[2].name),
    '×',
    'target >= 0.8',
  )
  h.report('modes', 'crdt increments / lww writes (distinct keys)', m(runs[3].name) / m(runs[0].name), '×')
  for (const siblings of [1, 4, 16]) {
    const us = mergeMicros(siblings)
    h.report(
      'modes',
      `sibling merge, ${siblings} siblings`,
      us.merge,
      'µs per merge',
      `${us.full.toFixed(1)} µs with parse, digest and encode of 100-byte values`,
    )
  }
}

/**
 * µs per merge of two DVV sets that share `siblings - 1` siblings and each hold one the other lacks:
 * the bare merge of parsed states, and the node's whole resolve (parse both, merge, digest, encode).
 */
function mergeMicros(siblings: number): { merge: number; full: number } {
  const mode = conflictModeFor({ consistencyMode: 'vector', siblingsMax: 16 })
  const value = 'v'.repeat(100)
  const shared = Array.from({ length: siblings - 1 }, (_, i) => ({
    n: `node_${i % 3}`,
    c: 1 + Math.floor(i / 3),
    v: value,
    t: i,
  }))
  const vv: Record<string, number> = {}
  for (const s of shared) vv[s.n] = Math.max(vv[s.n] ?? 0, s.c)
  // Stored sets keep their siblings in dot order.
  const byDot = (a: { n: string; c: number }, b: { n: string; c: number }) =>
    a.n < b.n ? -1 : a.n > b.n ? 1 : a.c - b.c
  const side = (n: string): DvvSet => ({
    vv: { ...vv, [n]: 100 },
    s: [...shared, { n, c: 100, v: value, t: 100 }].sort(byDot),
  })
  const text = [JSON.stringify(side('node_a')), JSON.stringify(side('node_b'))]
  const rec = (t: string): StoredRecord => ({
    value: t,
    tombstone: false,
    meta: { ts: 1, node: 'node_0' },
    writtenAtMs: 0,
  })
  const n = 20_000
  const a = side('node_a')
  const b = side('node_b')
  for (let i = 0; i < 2000; i++) mergeDvv(a, b, 16) // warm up the JIT
  const t1 = performance.now()
  for (let i = 0; i < n; i++) mergeDvv(a, b, 16)
  const merge = ((performance.now() - t1) * 1000) / n
  let kept = 0
  for (let i = 0; i < 2000; i++) mode.resolve('k', rec(text[0]), rec(text[1]))
  const t0 = performance.now()
  for (let i = 0; i < n; i++) if (mode.resolve('k', rec(text[0]), rec(text[1]))) kept++
  const full = ((performance.now() - t0) * 1000) / n
  if (kept !== n) throw new Error('every merge should add the other side’s sibling')
  return { merge, full }
}
