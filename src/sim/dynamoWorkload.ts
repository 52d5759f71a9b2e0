/**
 * A Jepsen-style client workload for the simulator: several processes issue puts, deletes and gets
 * against random nodes (unique values per key) while a partition schedule plays out; every op is
 * recorded as invoke then ok / fail / info on the virtual clock. Everything derives from the seed.
 */
import { createSimCluster } from '../cluster/createCluster'
import type { ClusterOptions } from '../cluster/types'
import { runAntiEntropy } from '../core/antiEntropy/install'
import { type Divergence, findDivergence } from '../core/checker/divergence'
import { type HistoryOp, type OpF, pairOperations } from '../core/checker/history'
import { findLostWrites, type LostWrite } from '../core/checker/lostWrites'
import { isDbError } from '../core/errors'
import { type Random, seededRandom } from '../core/random'
import { replicaStates } from './dynamoHarness'
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
  /** Node kills at random times, each restarted after a random while (0 = none). */
  kills?: number
  /** Runs on the fresh cluster before any op (e.g. to inject disk faults). */
  beforeStart?: (c: SimCluster) => Promise<void>
}

export interface WorkloadRun {
  seed: number
  cluster: SimCluster
  history: HistoryOp[]
  /** Human-readable fault schedule (for failure reports). */
  faults: string[]
  keys: string[]
  /** How many client ops failed, per error code. */
  errorCodes: Record<string, number>
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
  const errorCodes: Record<string, number> = {}
  const processes = opts.processes ?? 4
  const opsPerProcess = opts.opsPerProcess ?? 25
  const thinkMsMax = opts.thinkMsMax ?? 300

  // Faults belong to the workload: one still scheduled when the workload ends never fires, or it could
  // partition a cluster that quiesce() had healed (seed 4128: a false divergence, and a "quiesced"
  // state that hides real ones).
  let finished = false
  await opts.beforeStart?.(c)
  for (let i = 0; i < (opts.kills ?? 0); i++) {
    const at = rnd.int(processes * opsPerProcess * 60)
    const lasts = 500 + rnd.int(4000)
    const victim = rnd.int(n)
    c.sim.schedule(at, () => {
      if (finished) return
      faults.push(`t=${c.sim.nowMs} kill node_${victim}`)
      void c.kill(victim)
    })
    // Restarts happen even after the workload ends, so every node is up for the final checks.
    c.sim.schedule(at + lasts, () => {
      if (!finished) faults.push(`t=${c.sim.nowMs} restart node_${victim}`)
      void c.restart(victim).catch((e) => faults.push(`t=${c.sim.nowMs} restart node_${victim} failed: ${e}`))
    })
  }
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
      const downAtInvoke = c.nodes[node].status === 'down'
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
        // NODE_DOWN is definite only when the coordinator was already down (a kill mid-op is not).
        const code = isDbError(e) ? e.code : 'uncoded'
        errorCodes[code] = (errorCodes[code] ?? 0) + 1
        const definite = f === 'read' || code === 'BAD_INPUT' || (code === 'NODE_DOWN' && downAtInvoke)
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
  return { seed, cluster: c, history, faults, keys, errorCodes }
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

/**
 * The verdict after quiescence (heal, settle, anti-entropy from every node): divergent keys across
 * the live replicas, and acknowledged writes the final values lost (each key's final value is its
 * first owner's).
 */
export async function verdictAfterQuiesce(
  run: WorkloadRun,
): Promise<{ divergences: Divergence[]; lost: LostWrite[] }> {
  const c = run.cluster
  await quiesce(c, (i) => runAntiEntropy(c.liveNode(i)))
  const states = await replicaStates(
    c,
    c.nodes.map((n) => n.index),
  )
  const owners = (key: string) => c.liveNode(0).owners(key)
  const divergences = findDivergence(states, owners)
  const finalValues = new Map<string, string | null>()
  for (const key of run.keys) {
    const entry = states[owners(key)[0]]?.[key]
    finalValues.set(key, entry && !entry.tombstone ? entry.value : null)
  }
  return { divergences, lost: findLostWrites({ ops: pairOperations(run.history), finalValues }) }
}
