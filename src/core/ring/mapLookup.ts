/**
 * A key's partition from a partition map alone (what a driver or router caches), without the ring:
 * range maps by key range, hash maps by sha1 mod the partition count (then their splits), ring maps by the first token
 * arc end at or past the key's token. Agrees with `partitionIdOf` on the ring the map was made from.
 */
import { dbError } from '../errors'
import type { PartitionMap } from './placement'
import { hashPidOf, partitionKeyOf, tokenOf } from './tokens'

export function partitionOfKey(map: PartitionMap, key: string): number {
  const parts = map.partitions
  if (parts.length === 0) throw dbError('INTERNAL', 'the partition map has no partitions')
  if (map.strategy === 'hash') {
    const splits = map.hashSplits ?? []
    return hashPidOf(parts.length - splits.length, splits, tokenOf(key))
  }
  if (map.strategy === 'range') {
    const pk = partitionKeyOf(key)
    const last = parts[parts.length - 1]
    if (pk < parts[0].start || (last.end !== null && pk >= last.end))
      throw dbError(
        'BAD_INPUT',
        `partition key ${JSON.stringify(pk.slice(0, 40))} is outside every key range`,
      )
    return lastAtOrBefore(parts.length, (i) => parts[i].start <= pk)
  }
  const t = tokenOf(key)
  let lo = 0
  let hi = parts.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((parts[mid].end as string) < t) lo = mid + 1
    else hi = mid
  }
  return lo === parts.length ? 0 : lo
}

/** The last index i in [0, n) with ok(i) true, for a predicate true on a prefix. */
function lastAtOrBefore(n: number, ok: (i: number) => boolean): number {
  let lo = 0
  let hi = n - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (ok(mid)) lo = mid
    else hi = mid - 1
  }
  return lo
}
