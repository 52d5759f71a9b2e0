/** The invariants every replication run must hold after heal and quiescence. */
import { compareVersions } from '../../core/replication/version'
import type { RunResult } from './replicationRun'

/** Human-readable violations; empty when the run is correct. */
export function replicationViolations(r: RunResult): string[] {
  const out: string[] = []
  // 1. All replicas hold identical data (tombstones included).
  const [first, ...rest] = r.finalStates
  rest.forEach((m, i) => {
    const keys = new Set([...first.keys(), ...m.keys()])
    for (const k of keys) {
      const a = first.get(k)
      const b = m.get(k)
      if (!a || !b || a.value !== b.value || compareVersions(a.version, b.version) !== 0) {
        out.push(`divergence on ${k}: node_0 ${JSON.stringify(a)} vs node_${i + 1} ${JSON.stringify(b)}`)
      }
    }
  })
  // 2. No acknowledged write lost unless a higher version superseded it.
  for (const w of r.acked) {
    const f = first.get(w.key)
    if (!f) {
      out.push(`lost write ${w.key}=${w.value} @${w.version.ts}/${w.version.node}: key absent`)
      continue
    }
    const cmp = compareVersions(f.version, w.version)
    if (cmp < 0)
      out.push(`lost write ${w.key}=${w.value}: final version ${JSON.stringify(f.version)} is older`)
    if (cmp === 0 && f.value !== w.value) out.push(`write ${w.key}: same version, different value`)
  }
  // 3. Final values were written by someone.
  for (const [k, v] of first)
    if (v.value !== null && !r.issuedValues.has(v.value))
      out.push(`${k} holds a value nobody wrote: ${v.value}`)
  // 4. No op applied twice on a node.
  for (const t of r.appliedTwice) out.push(`applied twice: ${t}`)
  // 5. Every client operation settled (ok or a coded error).
  if (r.unsettled > 0) out.push(`${r.unsettled} client operations never settled`)
  return out
}
