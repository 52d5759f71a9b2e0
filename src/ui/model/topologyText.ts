/** The setup form's topology field: `0:1,2; 1:2; 2:0` ↔ Topology. */
import type { Topology } from '../../cluster/types'

export type TopologyKind = 'all-to-all' | 'ring' | 'star' | 'custom'

/** Parses `from:to,to; from:to`; throws an Error with a message naming the bad part. */
export function parseTopologyText(text: string): Topology {
  const out: Topology = {}
  const parts = text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  if (parts.length === 0) throw new Error('custom topology is empty (example: 0:1,2; 1:2; 2:0)')
  for (const part of parts) {
    const m = /^(\d+)\s*:\s*([\d\s,]*)$/.exec(part)
    if (!m) throw new Error(`cannot read "${part}" (expected from:to,to)`)
    const from = Number(m[1])
    const tos = m[2]
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map(Number)
    if (out[from]) throw new Error(`node ${from} is listed twice`)
    out[from] = tos
  }
  return out
}

/** Formats a Topology back into the text form. */
export function formatTopology(t: Topology): string {
  return Object.entries(t)
    .map(([from, tos]) => `${from}:${tos.join(',')}`)
    .join('; ')
}

/** The Topology for a named shape over `n` nodes; undefined = all-to-all (the API default). */
export function topologyFor(kind: TopologyKind, n: number, customText: string): Topology | undefined {
  if (kind === 'all-to-all') return undefined
  if (kind === 'custom') return parseTopologyText(customText)
  const out: Topology = {}
  if (kind === 'ring') {
    for (let i = 0; i < n; i++) out[i] = n > 1 ? [(i + 1) % n] : []
    return out
  }
  // star: node 0 is the hub, both directions
  out[0] = Array.from({ length: n - 1 }, (_, i) => i + 1)
  for (let i = 1; i < n; i++) out[i] = [0]
  return out
}
