/**
 * Composite keys (the seed's compose_key): "partition|clustering". Only the partition key (before the
 * first '|') is hashed (ring/tokens.ts), so every row of one partition lives on the same replicas
 * and a clustering-key range is one ordered scan on each of them.
 */
import { dbError } from '../errors'

export const KEY_SEPARATOR = '|'

/** `pk|ck`, or `pk` alone when there is no clustering key. */
export function composeKey(partitionKey: string, clusteringKey?: string | null): string {
  assertPartitionKey(partitionKey)
  if (clusteringKey === undefined || clusteringKey === null) return partitionKey
  if (typeof clusteringKey !== 'string')
    throw dbError('BAD_INPUT', `the clustering key must be a string, got ${typeof clusteringKey}`)
  return `${partitionKey}${KEY_SEPARATOR}${clusteringKey}`
}

/** The two parts of a stored key; `clusteringKey` is null for a plain key. */
export function splitKey(key: string): { partitionKey: string; clusteringKey: string | null } {
  const bar = key.indexOf(KEY_SEPARATOR)
  if (bar < 0) return { partitionKey: key, clusteringKey: null }
  return { partitionKey: key.slice(0, bar), clusteringKey: key.slice(bar + 1) }
}

/** A partition key: a non-empty string without '|' (the '|' would move the partition boundary). */
export function assertPartitionKey(pk: unknown): asserts pk is string {
  if (typeof pk !== 'string')
    throw dbError('BAD_INPUT', `the partition key must be a string, got ${typeof pk}`)
  if (pk.length === 0) throw dbError('BAD_INPUT', 'the partition key must not be empty')
  if (pk.includes(KEY_SEPARATOR))
    throw dbError(
      'BAD_INPUT',
      `the partition key must not contain '${KEY_SEPARATOR}', got ${JSON.stringify(pk)}`,
    )
}

/**
 * The stored-key span of clustering keys [startCk, endCk] (both inclusive) in partition `pk`, as the
 * storage scan takes it: start inclusive, end exclusive (`end` is the key right after `pk|endCk`).
 */
export function clusteringSpan(pk: string, startCk: string, endCk: string): { start: string; end: string } {
  assertPartitionKey(pk)
  if (typeof startCk !== 'string' || typeof endCk !== 'string')
    throw dbError('BAD_INPUT', 'getRange bounds must be strings (clustering keys)')
  if (startCk > endCk)
    throw dbError(
      'BAD_INPUT',
      `getRange start ${JSON.stringify(startCk)} is after end ${JSON.stringify(endCk)}`,
      { start: startCk, end: endCk },
    )
  return { start: composeKey(pk, startCk), end: `${composeKey(pk, endCk)}\u0000` }
}
