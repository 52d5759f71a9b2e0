/**
 * Divergence detector: after heal and anti-entropy every replica of a key must hold the same state.
 * A tombstone and an absent key are the same state (compaction may purge tombstones after the
 * grace period); otherwise value and version must both match.
 */

export interface ReplicaEntry {
  value: string | null
  /** A digest of the version (Lamport ts + origin, vector clock JSON...); compared when present. */
  version?: string
  tombstone?: boolean
}

/** node → key → entry; a key missing from a node's map is absent there. */
export type ReplicaStates = Readonly<Record<string, Readonly<Record<string, ReplicaEntry>>>>

export interface Divergence {
  kind: 'divergence'
  key: string
  /** Every replica's entry for the key (undefined when absent). */
  states: Record<string, ReplicaEntry | undefined>
}

function signature(entry: ReplicaEntry | undefined): string {
  if (entry === undefined || entry.tombstone || entry.value === null) return 'absent'
  return JSON.stringify([entry.value, entry.version ?? null])
}

/** Keys whose replicas disagree; `holdersOf(key)` limits the comparison to the key's replicas. */
export function findDivergence(
  replicas: ReplicaStates,
  holdersOf?: (key: string) => readonly string[],
): Divergence[] {
  const nodes = Object.keys(replicas)
  const keys = new Set(nodes.flatMap((n) => Object.keys(replicas[n])))
  const entryOf = (node: string, key: string) =>
    Object.hasOwn(replicas[node], key) ? replicas[node][key] : undefined
  const out: Divergence[] = []
  for (const key of [...keys].sort()) {
    const holders = (holdersOf?.(key) ?? nodes).filter((n) => n in replicas)
    const sigs = new Set(holders.map((n) => signature(entryOf(n, key))))
    if (sigs.size > 1) {
      out.push({
        kind: 'divergence',
        key,
        states: Object.fromEntries(holders.map((n) => [n, entryOf(n, key)])),
      })
    }
  }
  return out
}
