/**
 * Secondary indexes on one node (the seed's index_fields): for each indexed field, value → the keys
 * of this node's rows whose JSON value holds it. Fed by every row that becomes durable here (local
 * writes, replicated ops, read repair, hint delivery, anti-entropy all end in one group commit) and
 * rebuilt from storage on open. It indexes what this node holds, so it can lag the cluster while
 * replication catches up.
 */
import { dbError } from '../errors'
import type { KeyedRecord } from '../storage/engine'

/** Prefix of global-index entry rows: they are data, but never indexed themselves. */
export const GLOBAL_INDEX_PREFIX = '~gidx~'

/** The form an indexed value is looked up by: strings as they are, other JSON as its text. */
export function indexTerm(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v)
}

/** The indexed fields' terms of a stored value, or null when the value is not a JSON object. */
export function termsOf(value: unknown, fields: readonly string[]): Map<string, string> | null {
  if (typeof value !== 'string') return null
  let doc: unknown
  try {
    doc = JSON.parse(value)
  } catch {
    return null
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null
  const out = new Map<string, string>()
  for (const f of fields) {
    const v = (doc as Record<string, unknown>)[f]
    if (v !== undefined && v !== null) out.set(f, indexTerm(v))
  }
  return out
}

export class SecondaryIndex {
  /** field → term → keys. */
  private readonly byTerm = new Map<string, Map<string, Set<string>>>()
  /** key → field → term, to remove a key's old entries when its row changes. */
  private readonly byKey = new Map<string, Map<string, string>>()
  /** Rows with a value that is not a JSON object: stored, not indexed. */
  unindexable = 0

  constructor(readonly fields: readonly string[]) {
    for (const f of fields) this.byTerm.set(f, new Map())
  }

  /** Rows that became durable (in commit order: a later row of a key is newer). */
  apply(records: readonly KeyedRecord[]): void {
    for (const { key, record } of records) {
      if (key.startsWith(GLOBAL_INDEX_PREFIX)) continue
      this.remove(key)
      if (record.tombstone) continue
      const terms = termsOf(record.value, this.fields)
      if (!terms) {
        this.unindexable++
        continue
      }
      if (terms.size === 0) continue
      this.byKey.set(key, terms)
      for (const [f, t] of terms) {
        const perTerm = this.byTerm.get(f)!
        let keys = perTerm.get(t)
        if (!keys) {
          keys = new Set()
          perTerm.set(t, keys)
        }
        keys.add(key)
      }
    }
  }

  private remove(key: string): void {
    const old = this.byKey.get(key)
    if (!old) return
    this.byKey.delete(key)
    for (const [f, t] of old) {
      const perTerm = this.byTerm.get(f)!
      const keys = perTerm.get(t)
      keys?.delete(key)
      if (keys?.size === 0) perTerm.delete(t)
    }
  }

  /** Keys whose `field` is `value`, sorted; BAD_INPUT when the field is not indexed. */
  query(field: string, value: unknown): string[] {
    const perTerm = this.byTerm.get(field)
    if (!perTerm)
      throw dbError(
        'BAD_INPUT',
        `field ${JSON.stringify(field)} is not indexed (indexFields: ${this.fields.map((f) => JSON.stringify(f)).join(', ') || 'none'})`,
        { field, indexed: [...this.fields] },
      )
    return [...(perTerm.get(indexTerm(value)) ?? [])].sort()
  }

  /** Entries per field and the unindexable count (inspect). */
  stats(): { fields: string[]; keys: number; terms: Record<string, number>; unindexable: number } {
    const terms: Record<string, number> = {}
    for (const [f, m] of this.byTerm) terms[f] = m.size
    return { fields: [...this.fields], keys: this.byKey.size, terms, unindexable: this.unindexable }
  }
}
