/**
 * The Cluster API's queries (the seed's get_range, list_records, query_index, secondary_query,
 * global indexes): each runs through one node (`nodeQuery`) or gathers every live node's answer.
 * Global-index entries are ordinary rows (`~gidx~<field>~<value>|<key>`), so one value's entries
 * share one partition key, hence one owner set on the ring; they are replicated, hinted, repaired and
 * persisted like data, and a global query is one range read at that value's owners.
 */
import { dbError } from '../core/errors'
import type { NodeId } from '../core/ids'
import { splitKey } from '../core/query/compositeKey'
import type { NodeQuery, NodeQueryAnswer } from '../core/query/nodeQuery'
import { GLOBAL_INDEX_PREFIX, indexTerm, termsOf } from '../core/query/secondaryIndex'
import { compareVersions, type Version } from '../core/replication/version'
import type { NodeSummary, OpOptions, ReadResult, WriteResult } from './types'

/** What the queries use of a cluster. */
export interface QueryClusterHost {
  readonly nodes: readonly NodeSummary[]
  readonly globalIndexFields: readonly string[]
  nodeQuery<Q extends NodeQuery>(ref: number | string, q: Q): Promise<NodeQueryAnswer<Q>>
  /** The N owners of a stored key, in preference order. */
  ownersOf(key: string): NodeId[]
  write(ref: number | string, key: string, value: string | null, opts: OpOptions): Promise<WriteResult>
  readAt(ref: number | string, key: string, opts: OpOptions): Promise<ReadResult>
}

export interface RangeOptions extends OpOptions {
  /** The coordinating node (default: the first node that is up). */
  via?: number | string
  /** Most rows returned (default and cap 10,000). */
  limit?: number
}

/** One record of listRecords: partition key, clustering key (null for a plain key), value. */
export type RecordTriple = [string, string | null, string]

export interface RecordsPage {
  records: RecordTriple[]
  /** Live records matching the filter (before offset and limit). */
  total: number
  /** Nodes whose rows were merged, and nodes skipped (down, paused, failed, or failing the scan). */
  nodes: NodeId[]
  skipped: NodeId[]
}

export interface IndexAnswer {
  keys: string[]
  /** Which node answered what (secondary: every live node; global: the owners the read reached). */
  answered: Array<{ node: NodeId; keys?: string[] }>
  skipped: NodeId[]
  /** Global queries: the value's owner set on the ring. */
  owners?: NodeId[]
}

const RECORDS_LIMIT_MAX = 10_000
const SCAN_PAGE_ROWS = 1000

function wholeNumber(name: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw dbError(
      'BAD_INPUT',
      `${name} must be an integer from 0 to ${max.toLocaleString('en-US')}, got ${String(v)}`,
      {
        [name]: v as never,
      },
    )
  return v
}

/** The partition key of one global-index value's entries. */
export function globalIndexPartition(field: string, value: unknown): string {
  return `${GLOBAL_INDEX_PREFIX}${encodeURIComponent(field)}~${encodeURIComponent(indexTerm(value))}`
}

export class ClusterQueries {
  /** Global-index entry writes that failed (the data write itself had succeeded). */
  globalIndexErrors = 0

  constructor(private readonly host: QueryClusterHost) {}

  private firstUp(): NodeId {
    const n = this.host.nodes.find((x) => x.status === 'up')
    if (!n) throw dbError('NODE_DOWN', 'no node is up')
    return n.id
  }

  /** getRange: clustering keys [startCk, endCk] of one partition, newest version per row, at a level. */
  async getRange(
    partitionKey: string,
    startCk: string,
    endCk: string,
    opts: RangeOptions = {},
  ): Promise<Array<[string, string]>> {
    const out = await this.host.nodeQuery(opts.via ?? this.firstUp(), {
      type: 'range',
      partitionKey,
      startCk,
      endCk,
      level: opts.level,
      limit: opts.limit,
    })
    return out.rows.map((r) => [splitKey(r.key).clusteringKey ?? '', r.value as string])
  }

  /** Every live node's rows merged (newest per key, no tombstones), filtered, paged. */
  async listRecordsPage(
    opts: { offset?: number; limit?: number; query?: string } = {},
  ): Promise<RecordsPage> {
    const offset = wholeNumber('offset', opts.offset ?? 0, Number.MAX_SAFE_INTEGER)
    const limit = wholeNumber('limit', opts.limit ?? 100, RECORDS_LIMIT_MAX)
    if (opts.query !== undefined && typeof opts.query !== 'string')
      throw dbError('BAD_INPUT', `query must be a string, got ${typeof opts.query}`)
    const best = new Map<string, { value: string | null; tombstone: boolean; version: Version }>()
    const nodes: NodeId[] = []
    const skipped: NodeId[] = []
    for (const n of this.host.nodes) {
      if (n.status !== 'up') {
        skipped.push(n.id)
        continue
      }
      try {
        let start: string | undefined
        for (;;) {
          const page = await this.host.nodeQuery(n.id, { type: 'rows', start, limit: SCAN_PAGE_ROWS })
          for (const r of page.rows) {
            if (r.key.startsWith(GLOBAL_INDEX_PREFIX)) continue
            const have = best.get(r.key)
            if (!have || compareVersions(r.version, have.version) > 0) best.set(r.key, r)
          }
          if (page.next === null) break
          start = page.next
        }
        nodes.push(n.id)
      } catch {
        skipped.push(n.id)
      }
    }
    const q = opts.query ?? ''
    const matching: RecordTriple[] = []
    for (const key of [...best.keys()].sort()) {
      const r = best.get(key)!
      if (r.tombstone || r.value === null) continue
      if (q && !key.includes(q) && !r.value.includes(q)) continue
      const { partitionKey, clusteringKey } = splitKey(key)
      matching.push([partitionKey, clusteringKey, r.value])
    }
    return { records: matching.slice(offset, offset + limit), total: matching.length, nodes, skipped }
  }

  /** Scatter-gather over every live node's secondary index: the union, sorted. */
  async secondaryQuery(field: string, value: unknown): Promise<IndexAnswer> {
    const answered: IndexAnswer['answered'] = []
    const skipped: NodeId[] = []
    const keys = new Set<string>()
    const live = this.host.nodes.filter((n) => n.status === 'up')
    for (const n of this.host.nodes) if (n.status !== 'up') skipped.push(n.id)
    const results = await Promise.allSettled(
      live.map((n) => this.host.nodeQuery(n.id, { type: 'index', field, value })),
    )
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        answered.push({ node: live[i].id, keys: r.value })
        for (const k of r.value) keys.add(k)
      } else if ((r.reason as { code?: string })?.code === 'BAD_INPUT') throw r.reason
      else skipped.push(live[i].id)
    })
    if (live.length === 0) throw dbError('NODE_DOWN', 'no node is up to ask')
    return { keys: [...keys].sort(), answered, skipped }
  }

  private assertGlobalField(field: string): void {
    if (!this.host.globalIndexFields.includes(field))
      throw dbError(
        'BAD_INPUT',
        `field ${JSON.stringify(field)} has no global index (globalIndexFields: ${this.host.globalIndexFields.map((f) => JSON.stringify(f)).join(', ') || 'none'})`,
        { field, indexed: [...this.host.globalIndexFields] },
      )
  }

  /** The owner set of one global-index value (every entry of it lives there). */
  getIndexOwner(field: string, value: unknown): NodeId[] {
    this.assertGlobalField(field)
    return this.host.ownersOf(globalIndexPartition(field, value))
  }

  /** One range read of the value's entries, coordinated by one of its owners: no scatter-gather. */
  async globalQuery(field: string, value: unknown, opts: OpOptions = {}): Promise<IndexAnswer> {
    const owners = this.getIndexOwner(field, value)
    const pk = globalIndexPartition(field, value)
    const up = new Set(this.host.nodes.filter((n) => n.status === 'up').map((n) => n.id))
    const via = owners.find((o) => up.has(o)) ?? this.firstUp()
    const out = await this.host.nodeQuery(via, {
      type: 'span',
      routeKey: pk,
      start: `${pk}|`,
      end: `${pk}}`,
      level: opts.level,
    })
    const keys = out.rows.map((r) => r.key.slice(pk.length + 1)).sort()
    return {
      keys,
      answered: out.replies.map((node) => ({ node })),
      skipped: owners.filter((o) => !out.replies.includes(o)),
      owners,
    }
  }

  /**
   * A client write with its global-index entries: the key's old value is read first (at the write's
   * level), then the data is written, then the entry of each changed field is moved. Not atomic: a
   * crash between leaves a stale entry, which the next write of the key replaces.
   */
  async write(
    ref: number | string,
    key: string,
    value: string | null,
    opts: OpOptions,
  ): Promise<WriteResult> {
    if (typeof key === 'string' && key.startsWith(GLOBAL_INDEX_PREFIX))
      throw dbError('BAD_INPUT', `keys starting with ${GLOBAL_INDEX_PREFIX} are reserved for global indexes`)
    const fields = this.host.globalIndexFields
    if (fields.length === 0) return this.host.write(ref, key, value, opts)
    const old = await this.host.readAt(ref, key, opts).then(
      (r) => r.value,
      () => null,
    )
    const result = await this.host.write(ref, key, value, opts)
    const before = termsOf(old, fields) ?? new Map<string, string>()
    const after = (value === null ? null : termsOf(value, fields)) ?? new Map<string, string>()
    const entryWrites: Array<Promise<unknown>> = []
    for (const f of fields) {
      const was = before.get(f)
      const now = after.get(f)
      if (was !== undefined && was !== now)
        entryWrites.push(this.host.write(ref, `${globalIndexPartition(f, was)}|${key}`, null, opts))
      if (now !== undefined)
        entryWrites.push(this.host.write(ref, `${globalIndexPartition(f, now)}|${key}`, key, opts))
    }
    for (const r of await Promise.allSettled(entryWrites))
      if (r.status === 'rejected') this.globalIndexErrors++
    return result
  }
}
