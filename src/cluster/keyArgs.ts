/**
 * The two call forms of put/get/read/delete. The seed's composite form names a partition key and a
 * clustering key: `put(ref, 'user1', '001', 'Alice')`, `get(ref, 'user1', '001')`; the plain form
 * names one key: `put(ref, key, value, opts?)`, `get(ref, key, opts?)`. They are told apart by the
 * argument after the key: a string there is a clustering key for get/read/delete, and for put a
 * string in the fourth place (where the plain form has its options object) makes it composite.
 */
import { composeKey } from '../core/query/compositeKey'
import type { OpOptions } from './types'

/** put(ref, key, value, opts?) | put(ref, pk, ck, value, opts?) → key, value, opts. */
export function putArgs(args: readonly unknown[]): { key: string; value: unknown; opts: OpOptions } {
  if (typeof args[2] === 'string' && typeof args[1] === 'string')
    return { key: composeKey(args[0] as string, args[1]), value: args[2], opts: (args[3] as OpOptions) ?? {} }
  return { key: args[0] as string, value: args[1], opts: (args[2] as OpOptions) ?? {} }
}

/** get(ref, key, opts?) | get(ref, pk, ck, opts?) → key, opts. */
export function keyArgs(args: readonly unknown[]): { key: string; opts: OpOptions } {
  if (typeof args[1] === 'string')
    return { key: composeKey(args[0] as string, args[1]), opts: (args[2] as OpOptions) ?? {} }
  return { key: args[0] as string, opts: (args[1] as OpOptions) ?? {} }
}
