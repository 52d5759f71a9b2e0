/**
 * Salting hot keys (the seed's enable_salt / mark_hot_key): writes to a salted key go, in turn, to
 * `buckets` variants `i#key` whose partition keys hash apart, so one hot key's load spreads over
 * several partitions and nodes; a read asks every variant (and the unsalted key, which may still hold
 * the value from before salting) and returns the newest version. Cluster-level state, so it survives
 * membership changes (the variants are ordinary keys).
 */
import { dbError } from './errors'

export const SALT_BUCKETS_MAX = 64

export class SaltTable {
  private buckets = new Map<string, number>()
  private turn = new Map<string, number>()

  enable(key: string, buckets: number): void {
    if (typeof key !== 'string' || key.length === 0)
      throw dbError('BAD_INPUT', 'salting needs a non-empty key')
    if (key.includes('#'))
      throw dbError('BAD_INPUT', `cannot salt ${JSON.stringify(key)}: salted keys contain '#'`)
    if (!Number.isInteger(buckets) || buckets < 2 || buckets > SALT_BUCKETS_MAX)
      throw dbError(
        'BAD_INPUT',
        `buckets must be an integer from 2 to ${SALT_BUCKETS_MAX}, got ${String(buckets)}`,
      )
    this.buckets.set(key, buckets)
  }

  isSalted(key: string): boolean {
    return this.buckets.has(key)
  }

  /** Salted keys and their bucket counts. */
  entries(): Array<[string, number]> {
    return [...this.buckets]
  }

  /** The variant the next write of `key` goes to (round-robin), or the key itself when not salted. */
  writeKey(key: string): string {
    const b = this.buckets.get(key)
    if (b === undefined) return key
    const i = this.turn.get(key) ?? 0
    this.turn.set(key, (i + 1) % b)
    return `${i}#${key}`
  }

  /** Every key a read (or a delete) of `key` must cover: the variants, then the unsalted key. */
  allKeys(key: string): string[] {
    const b = this.buckets.get(key)
    if (b === undefined) return [key]
    return [...Array.from({ length: b }, (_, i) => `${i}#${key}`), key]
  }
}
