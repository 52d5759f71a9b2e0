/**
 * The query calls the Cluster API makes on one node (both runtimes: the simulator calls
 * `runNodeQuery` directly, the worker host through its `query` control call). A discriminated union,
 * so a new query does not compile until every host handles it.
 */
import { dbError } from '../errors'
import type { NodeId } from '../ids'
import type { DbNode } from '../node/dbNode'
import { recordRow } from '../node/rows'
import type { ConsistencyLevel } from '../quorum/consistency'
import type { TxCall } from '../tx/types'
import { clusteringSpan } from './compositeKey'
import { coordinateRange, type RangeOutcome } from './rangeRead'

export type NodeQuery =
  /** getRange through this node as coordinator: clustering keys [startCk, endCk] of one partition. */
  | {
      type: 'range'
      partitionKey: string
      startCk: string
      endCk: string
      level?: ConsistencyLevel
      limit?: number
    }
  /** A range read of stored keys [start, end) placed by `routeKey` (global-index partitions). */
  | { type: 'span'; routeKey: string; start: string; end: string; level?: ConsistencyLevel; limit?: number }
  /** This node's own rows from `start`, tombstones included (listRecords merges every node's). */
  | { type: 'rows'; start?: string; limit: number }
  /** This node's secondary index (the seed's query_index / ListByIndex). */
  | { type: 'index'; field: string; value: unknown }
  /** A transaction call on its coordinator node (core/tx). */
  | { type: 'tx'; call: TxCall }

export interface LocalRowsPage {
  rows: Array<{
    key: string
    value: string | null
    tombstone: boolean
    version: { ts: number; node: NodeId }
  }>
  next: string | null
}

export type NodeQueryAnswer<Q extends NodeQuery> = Q extends { type: 'tx' }
  ? unknown
  : Q extends { type: 'range' | 'span' }
    ? RangeOutcome
    : Q extends { type: 'rows' }
      ? LocalRowsPage
      : string[]

/** Most rows one `rows` page returns. */
export const ROWS_PAGE_MAX = 1000

/** Runs one query on a node. */
export async function runNodeQuery<Q extends NodeQuery>(node: DbNode, q: Q): Promise<NodeQueryAnswer<Q>> {
  return (await run(node, q)) as NodeQueryAnswer<Q>
}

async function run(node: DbNode, q: NodeQuery): Promise<unknown> {
  switch (q.type) {
    case 'tx':
      return node.tx.coordinator.call(q.call)
    case 'range': {
      const { start, end } = clusteringSpan(q.partitionKey, q.startCk, q.endCk)
      return coordinateRange(node, start, start, end, { level: q.level, limit: q.limit })
    }
    case 'span':
      return coordinateRange(node, q.routeKey, q.start, q.end, { level: q.level, limit: q.limit })
    case 'rows': {
      const limit = Math.min(Math.max(1, Math.floor(q.limit)), ROWS_PAGE_MAX)
      const got = await node.engine.scan({ start: q.start, limit: limit + 1, includeTombstones: true })
      return {
        rows: got.slice(0, limit).map((r) => {
          const row = recordRow(r.key, r.record)
          return { key: r.key, value: row.value, tombstone: row.tombstone, version: row.version }
        }),
        next: got.length > limit ? got[limit].key : null,
      }
    }
    case 'index': {
      if (typeof q.field !== 'string') throw dbError('BAD_INPUT', 'the index field must be a string')
      const index = node.queries?.index
      if (!index)
        throw dbError(
          'BAD_INPUT',
          `field ${JSON.stringify(q.field)} is not indexed (no indexFields on ${node.id})`,
          {
            field: q.field,
            indexed: [],
          },
        )
      return index.query(q.field, q.value)
    }
  }
}
