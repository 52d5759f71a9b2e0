/**
 * The Cluster API's query methods (getRange, listRecords, secondary and global indexes), each a thin
 * guard around ClusterQueries (queries.ts) or one node query; ClusterBase extends this, so both
 * runtimes get them and only have to say how a query reaches a node (`nodeQuery`).
 */
import type { NodeId } from '../core/ids'
import type { NodeQuery, NodeQueryAnswer } from '../core/query/nodeQuery'
import type { ClusterQueries, IndexAnswer, RangeOptions, RecordsPage, RecordTriple } from './queries'
import type { OpOptions } from './types'

export abstract class QueryMethods {
  /** Runs one query on a node (the simulator calls it directly, workers through their `query` call). */
  protected abstract nodeQuery<Q extends NodeQuery>(ref: number | string, q: Q): Promise<NodeQueryAnswer<Q>>

  protected abstract readonly queries: ClusterQueries
  /** The one shutdown guard (ClusterBase). */
  protected abstract assertOpen(): void

  getRange(
    pk: string,
    startCk: string,
    endCk: string,
    opts?: RangeOptions,
  ): Promise<Array<[string, string]>> {
    this.assertOpen()
    return this.queries.getRange(pk, startCk, endCk, opts)
  }

  async listRecords(opts?: { offset?: number; limit?: number; query?: string }): Promise<RecordTriple[]> {
    return (await this.listRecordsPage(opts)).records
  }

  listRecordsPage(opts?: { offset?: number; limit?: number; query?: string }): Promise<RecordsPage> {
    this.assertOpen()
    return this.queries.listRecordsPage(opts)
  }

  queryIndex(ref: number | string, field: string, value: unknown): Promise<string[]> {
    this.assertOpen()
    return this.nodeQuery(ref, { type: 'index', field, value })
  }

  async secondaryQuery(field: string, value: unknown): Promise<string[]> {
    return (await this.secondaryQueryDetails(field, value)).keys
  }

  secondaryQueryDetails(field: string, value: unknown): Promise<IndexAnswer> {
    this.assertOpen()
    return this.queries.secondaryQuery(field, value)
  }

  getIndexOwner(field: string, value: unknown): NodeId[] {
    return this.queries.getIndexOwner(field, value)
  }

  async globalQuery(field: string, value: unknown, opts?: OpOptions): Promise<string[]> {
    return (await this.globalQueryDetails(field, value, opts)).keys
  }

  globalQueryDetails(field: string, value: unknown, opts?: OpOptions): Promise<IndexAnswer> {
    this.assertOpen()
    return this.queries.globalQuery(field, value, opts)
  }

  /** Global-index entry writes that failed after their data write succeeded (fixed by the next write). */
  get globalIndexErrors(): number {
    return this.queries.globalIndexErrors
  }
}
