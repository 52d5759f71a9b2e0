/**
 * The preset "LWW loses writes, siblings don't": the same partitioned double write of one key
 * (node_0 alone writes "milk", node_1 with node_2 writes "eggs", both at ONE, then heal) in each
 * conflict mode, each judged the way the checker judges it: an acknowledged value is lost when it
 * is in no final state. The live cluster is the `vector` one; `lww` and `crdt` run on simulator
 * clusters in the page, so the verdicts come within a second.
 */
import { createSimCluster } from '../../cluster/createCluster'
import type { Cluster } from '../../cluster/types'
import type { ConsistencyMode } from '../../core/conflict/types'

export interface DoubleWriteVerdict {
  mode: ConsistencyMode
  acked: string[]
  kept: string[]
  lost: string[]
}

/** Runs the partitioned double write on `c` (a 3-node cluster in `mode`) and judges it. */
export async function partitionedDoubleWrite(
  c: Cluster,
  mode: ConsistencyMode,
  key = 'cart',
): Promise<DoubleWriteVerdict> {
  const ids = c.nodes.map((n) => n.id)
  c.partition([[ids[0]], [ids[1], ids[2]]])
  const acked: string[] = []
  for (const [node, value] of [
    [0, 'milk'],
    [1, 'eggs'],
  ] as const) {
    const w =
      mode === 'crdt'
        ? c.applyCrdt(node, key, { add: value }, { level: 'ONE' })
        : c.put(node, key, value, { level: 'ONE' })
    if (
      await w.then(
        () => true,
        () => false,
      )
    )
      acked.push(value)
  }
  c.heal()
  await c.settle()
  const r = await c.read(2, key, { level: 'ALL' })
  const kept = mode === 'crdt' ? ((r.crdt?.value as string[]) ?? []) : r.siblings.map((s) => String(s.value))
  return { mode, acked, kept: [...kept].sort(), lost: acked.filter((v) => !kept.includes(v)) }
}

/** The verdicts for lww and crdt on simulator clusters (the same steps as the live one). */
export async function simVerdicts(seed: number): Promise<DoubleWriteVerdict[]> {
  const out: DoubleWriteVerdict[] = []
  for (const mode of ['lww', 'crdt'] as const) {
    const c = await createSimCluster({
      numNodes: 3,
      seed,
      consistencyMode: mode,
      crdtConfig: mode === 'crdt' ? { cart: 'orset' } : undefined,
    })
    try {
      out.push(await partitionedDoubleWrite(c, mode))
    } finally {
      await c.shutdown()
    }
  }
  return out
}

/** One line per mode, as the notice shows it. */
export function verdictText(vs: readonly DoubleWriteVerdict[]): string {
  return vs
    .map(
      (v) =>
        `${v.mode}: kept ${v.kept.join(' + ') || 'nothing'}, ${v.lost.length} of ${v.acked.length} acknowledged writes lost${v.lost.length > 0 ? ` (${v.lost.join(', ')})` : ''}`,
    )
    .join(' · ')
}
