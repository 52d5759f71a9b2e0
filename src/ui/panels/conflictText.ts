/**
 * What the client console writes about a merging key (vector siblings, CRDT keys): pure text helpers,
 * so the views stay small and the wording is unit-tested.
 */
import type { ResolvedClusterOptions } from '../../cluster/types'

/** `{n0:2, n1:1}`: a version vector with node ids shortened (an epoch stays: `n0.k3x9a1:1`). */
export function vectorText(v: Record<string, number> | undefined): string {
  return `{${Object.entries(v ?? {})
    .map(([n, c]) => `${n.replace(/^node_/, 'n')}:${c}`)
    .join(', ')}}`
}

/**
 * The vector inside a read's context (`c1:<key hash>:node_0=2,node_1=1`), for display only: clients
 * pass the context back as the opaque string. Null when it is not one.
 */
export function contextVector(context: string): Record<string, number> | null {
  const parts = context.split(':')
  if (parts.length !== 3 || parts[0] !== 'c1') return null
  const vv: Record<string, number> = {}
  if (parts[2] === '') return vv
  for (const entry of parts[2].split(',')) {
    const i = entry.lastIndexOf('=')
    const n = Number(entry.slice(i + 1))
    if (i <= 0 || !Number.isSafeInteger(n)) return null
    vv[entry.slice(0, i)] = n
  }
  return vv
}

/** True when `key`'s rows merge in this cluster: every key in 'vector', crdtConfig keys in 'crdt'. */
export function mergesKey(options: ResolvedClusterOptions | null, key: string): boolean {
  if (!options) return false
  if (options.consistencyMode === 'vector') return true
  return options.consistencyMode === 'crdt' && Object.hasOwn(options.crdtConfig, key)
}

/** A CRDT's per-actor entries (G-Counter `e`, PN-Counter `p`/`n`) as `n0 +3, n1 +2, n1 −1`; null for other types. */
export function counterEntriesText(type: string, state: unknown): string | null {
  const s = state as { e?: Record<string, number>; p?: Record<string, number>; n?: Record<string, number> }
  const list = (m: Record<string, number> | undefined, sign: string) =>
    Object.entries(m ?? {}).map(([a, c]) => `${a.replace(/^node_/, 'n')} ${sign}${c}`)
  if (type === 'gcounter') return list(s.e, '+').join(', ') || '(no increments)'
  if (type === 'pncounter') return [...list(s.p, '+'), ...list(s.n, '−')].join(', ') || '(no ops)'
  return null
}
