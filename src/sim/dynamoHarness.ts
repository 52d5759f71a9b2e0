/**
 * Shared helpers for the Dynamo simulation proofs: seeds from the environment, replay hints, and
 * replica states read straight from each node's storage engine (tombstones included).
 */
import type { NodeId } from '../core/ids'
import type { RowVersion } from '../core/protocol/messages'
import type { SimCluster } from './simCluster'

/**
 * Seeds for a sweep: SEED=123 replays one; SEEDS=200 widens the sweep. `regressions` are seeds that
 * once failed (found by wider sweeps): they always run, even when the sweep is smaller.
 */
export function sweepSeeds(defaultCount: number, first = 1, regressions: readonly number[] = []): number[] {
  const one = process.env.SEED
  if (one !== undefined && one !== '') return [Number(one)]
  const count = Number(process.env.SEEDS ?? defaultCount)
  const seeds = Array.from({ length: count }, (_, i) => first + i)
  for (const s of regressions) if (s >= first + count || s < first) seeds.push(s)
  return seeds
}

/** The one-line replay command printed with a failing seed. */
export function replayLine(seed: number, file: string): string {
  return `replay: SEED=${seed} npx vitest run ${file}`
}

/** Every row a live node's engine holds (tombstones included), by key. */
export async function engineRows(c: SimCluster, ref: number): Promise<Map<string, RowVersion>> {
  const node = c.liveNode(ref)
  const out = new Map<string, RowVersion>()
  for (const { key, record } of await node.engine.scan({ includeTombstones: true })) {
    const meta = record.meta as { ts: number; node: NodeId }
    out.set(key, {
      key,
      value: record.tombstone ? null : (record.value as string),
      tombstone: record.tombstone,
      version: { ts: meta.ts, node: meta.node },
      writtenAtMs: record.writtenAtMs,
    })
  }
  return out
}

/** Replica states in the checker's shape (node → key → entry) for the given live nodes. */
export async function replicaStates(
  c: SimCluster,
  refs: number[],
): Promise<Record<string, Record<string, { value: string | null; version: string; tombstone: boolean }>>> {
  const out: Record<
    string,
    Record<string, { value: string | null; version: string; tombstone: boolean }>
  > = {}
  for (const ref of refs) {
    const rows = await engineRows(c, ref)
    const id = c.liveNode(ref).id
    out[id] = {}
    for (const [key, r] of rows)
      out[id][key] = { value: r.value, version: `${r.version.ts}@${r.version.node}`, tombstone: r.tombstone }
  }
  return out
}
