/**
 * Which keys salting may spread (the seed's enable_salt, mark_hot_key): not a key whose rows merge,
 * because a salted read returns the newest variant only.
 */
import { dbError } from '../core/errors'
import type { ResolvedClusterOptions } from './types'

type SaltOptions = Pick<ResolvedClusterOptions, 'consistencyMode' | 'crdtConfig'>

/**
 * True for keys whose rows merge (every key in 'vector' mode, crdtConfig keys in 'crdt'): salting
 * refuses them. A salted read returns the newest variant, which would drop the other variants'
 * siblings or counts, and a context or CRDT op would land in one variant only.
 */
export function rowsMerge(options: SaltOptions, key: string): boolean {
  const mode = options.consistencyMode ?? 'lww'
  return mode === 'vector' || (mode === 'crdt' && Object.hasOwn(options.crdtConfig ?? {}, key))
}

/** BAD_INPUT (`reason: 'salting-merging-key'`) for a key salting cannot spread (rowsMerge()). */
export function assertSaltable(options: SaltOptions, key: string): void {
  if (typeof key !== 'string' || !rowsMerge(options, key)) return
  const mode = options.consistencyMode
  throw dbError(
    'BAD_INPUT',
    `cannot salt ${JSON.stringify(key.slice(0, 100))}: in a '${mode}' cluster its ${mode === 'vector' ? 'siblings' : 'CRDT state'} must stay in one key (a salted read keeps only the newest variant)`,
    { reason: 'salting-merging-key', mode },
  )
}
