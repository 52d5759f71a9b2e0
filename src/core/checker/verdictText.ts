/** The verdict's one-line summary: "400 operations, 0 anomalies, linearizable per key". */
import { ANOMALY_KINDS, KIND_TEXT } from './anomaly'
import type { VerdictCounts } from './incremental'

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}

/** What a reader sees first: operations, anomalies by kind, the per-key linearizability result. */
export function verdictHeadline(c: VerdictCounts, searched: boolean): string {
  const parts = [plural(c.ops, 'operation'), plural(c.anomalies, 'anomaly', 'anomalies')]
  if (c.anomalies > 0) {
    const kinds = ANOMALY_KINDS.filter((k) => c.byKind[k] > 0).map((k) => `${c.byKind[k]} ${KIND_TEXT[k]}`)
    parts[1] += ` (${kinds.join(', ')})`
  }
  if (searched && c.keys > 0) {
    if (c.keysNotLinearizable > 0) parts.push(`${plural(c.keysNotLinearizable, 'key')} not linearizable`)
    else if (c.keysUnknown > 0)
      parts.push(`linearizable per key (${plural(c.keysUnknown, 'key')} too long to search)`)
    else parts.push('linearizable per key')
  }
  return parts.join(', ')
}
