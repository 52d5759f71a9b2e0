/**
 * A Jepsen-style client workload for the simulator: several processes issue puts, deletes and gets
 * against random nodes (unique values per key) while a partition schedule plays out; every op is
 * recorded as invoke then ok / fail / info on the virtual clock. Everything derives from the seed.
 */
import { createSimCluster } from '../cluster/createCluster'
import type { ClusterOptions } from '../cluster/types'
import type { HistoryOp, OpF } from '../core/checker/history'
import { isDbError } from '../core/errors'
import { type Random, seededRandom } from '../core/random'
import type { SimCluster } from './simCluster'

export interface WorkloadOptions {
  cluster: Omit<ClusterOptions, 'runtime' | 'seed'>
  processes?: number
  opsPerProcess?: number
  keys?: number
  /** Partitions start at random times and last a random while (0 = none). */
  partitions?: number
  /** Virtual ms between a process's ops (at most). */
  thinkMsMax?: number
  /** Consistency level per op; default the cluster's. */
  level?: 'ONE' | 'TWO' | 'QUORUM' | 'ALL'
}

export interface WorkloadRun {
  seed: number
  cluster: SimCluster
  history: HistoryOp[]
  /** Human-readable fault schedule (for failure reports). */
  faults: string[]
  keys: string[]
}

function sleep(c: SimCluster, ms: number): Promise<void> {
  return new Promise((resolve) => c.sim.schedule(ms, resolve))
}

/** A random split of the nodes into two non-empty groups. */
function randomSplit(rnd: Random, n: number): number[][] {
  const order = Array.from({ length: n }, (_, i) => i).sort(() => rnd.next() - 0.5)
  const cut = 1 + rnd.int(n - 1)
  return [order.slice(0, cut), order.slice(cut)]
}

/** Runs the workload on a fresh cluster; the cluster is left running (healed) for final checks. */
export async function runWorkload(seed: number, opts: WorkloadOptions): Promise<WorkloadRun> {
  const rnd = seededRandom(seed ^ 0x9e3779b9)
  const c = await createSimCluster({ ...opts.cluster, seed }, { traceMessages: false })
  c.autoDrive = false
  const n = c.nodes.length
  const keys = Array.from({ length: opts.keys ?? 3 }, (_, i) => `key${i}`)
  const history: HistoryOp[] = []
  const faults: string[] = []
  const level = opts.level ? { level: opts.level } : {}
  let written = 0
  const processes = opts.processes ?? 4
  const opsPerProcess = opts.opsPerProcess ?? 25
  const thinkMsMax = opts.thinkMsMax ?? 300

  // Faults belong to the workload: one still scheduled when the workload ends never fires, or it could
  // partition a cluster that quiesce() had healed (seed 4128: a false divergence, and a "quiesced"
  // state that hides real ones).
  let finished = false
  for (let i = 0; i < (opts.partitions ?? 0); i++) {
    const at = rnd.int(processes * opsPerProcess * 60)
    const lasts = 1000 + rnd.int(6000)
    const groups = randomSplit(rnd, n)
    c.sim.schedule(at, () => {
      if (finished) return
      faults.push(`t=${c.sim.nowMs} partition ${JSON.stringify(groups)}`)
      c.partition(groups)
    })
    c.sim.schedule(at + lasts, () => {
      if (finished) return
      faults.push(`t=${c.sim.nowMs} heal`)
      c.heal()
    })
  }

  const runProcess = async (p: number, prnd: Random): Promise<void> => {
    for (let k = 0; k < opsPerProcess; k++) {
      await sleep(c, prnd.int(thinkMsMax))
      const key = keys[prnd.int(keys.length)]
      const node = prnd.int(n)
      const roll = prnd.next()
      const f: OpF = roll < 0.5 ? 'read' : roll < 0.9 ? 'write' : 'delete'
      const value = f === 'write' ? `p${p}-${written++}` : null
      history.push({ process: p, type: 'invoke', f, key, value, time: c.sim.nowMs })
      try {
        if (f === 'read') {
          const got = await c.get(node, key, level)
          history.push({ process: p, type: 'ok', f, key, value: got, time: c.sim.nowMs })
        } else {
          if (f === 'write') await c.put(node, key, value!, level)
          else await c.delete(node, key, level)
          history.push({ process: p, type: 'ok', f, key, value, time: c.sim.nowMs })
        }
      } catch (e) {
        // A read that failed changed nothing; a mutation may have reached some replicas.
        const definite = f === 'read' || (isDbError(e) && (e.code === 'NODE_DOWN' || e.code === 'BAD_INPUT'))
        history.push({ process: p, type: definite ? 'fail' : 'info', f, key, value, time: c.sim.nowMs })
      }
    }
  }
  let done = 0
  const all = Array.from({ length: processes }, (_, p) => runProcess(p, rnd.fork()).finally(() => done++))
  while (done < processes) await c.runFor(50)
  await Promise.all(all)
  finished = true
  c.heal()
  return { seed, cluster: c, history, faults, keys }
}

/** Heals, settles, runs anti-entropy from every node, settles again (the "after quiescence" state). */
export async function quiesce(c: SimCluster, antiEntropy: (node: number) => Promise<unknown>): Promise<void> {
  c.heal()
  c.autoDrive = true
  await c.runFor(5000)
  await c.settle()
  for (let i = 0; i < c.nodes.length; i++) await c.drive(antiEntropy(i))
  await c.settle()
}
