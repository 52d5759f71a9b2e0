/**
 * Salting hot keys (the seed's enable_salt, mark_hot_key): which keys salting may spread (not a key
 * whose rows merge, because a salted read returns the newest variant only), salting a key with its
 * current value copied into every variant, and salting the keys the hot-spot metrics found hot.
 */
import { dbError } from '../core/errors'
import type { SaltTable } from '../core/salting'
import type { PartitionMetrics } from './partitionMetrics'
import type {
  NodeSummary,
  OpOptions,
  ReadResult,
  ResolvedClusterOptions,
  WriteOptions,
  WriteResult,
} from './types'

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

/** What salting hot keys uses of the cluster. */
export interface HotKeyHost {
  readonly options: SaltOptions
  readonly salts: SaltTable
  readonly metrics: PartitionMetrics
  assertOpen(): void
  nodes(): readonly NodeSummary[]
  readAt(ref: number | string, key: string, opts: OpOptions): Promise<ReadResult>
  write(ref: number | string, key: string, value: string | null, opts: WriteOptions): Promise<WriteResult>
  /** Called after a key was salted (the worker runtime passes salts to its node-side workload). */
  onSaltsChanged(): void
}

/** Salts `key` into `buckets` variants; with `migrate`, its current value is written to each. */
export async function markHotKey(
  host: HotKeyHost,
  key: string,
  buckets: number,
  migrate: boolean,
): Promise<void> {
  host.assertOpen()
  const via = host.nodes().find((n) => n.status === 'up')?.id
  assertSaltable(host.options, key)
  if (via === undefined) throw dbError('NODE_DOWN', 'no node is up to salt through')
  const current = migrate && !host.salts.isSalted(key) ? await host.readAt(via, key, {}) : null
  host.salts.enable(key, buckets)
  host.onSaltsChanged()
  if (current?.value != null) {
    const value = current.value
    await Promise.all(
      host.salts
        .allKeys(key)
        .slice(0, -1)
        .map((k) => host.write(via, k, value, {})),
    )
  }
}

/** Salts every key used more than `threshold` times (not composite, not merging); the keys salted. */
export async function checkHotKeys(host: HotKeyHost, threshold: number, buckets: number): Promise<string[]> {
  const salted: string[] = []
  for (const [key, n] of host.metrics.hotKeys(Number.MAX_SAFE_INTEGER)) {
    if (n <= threshold) break
    if (host.salts.isSalted(key) || key.includes('#') || rowsMerge(host.options, key)) continue
    await markHotKey(host, key, buckets, true)
    salted.push(key)
  }
  return salted
}
