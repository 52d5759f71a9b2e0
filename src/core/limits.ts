/**
 * The size rules for keys and values: UTF-8 bytes (what a value costs on the wire and in most
 * stores), one function per rule, used by the coordinator and by the storage engine alike, so a
 * value cannot pass one check and fail the other.
 */
import { dbError } from './errors'

// TextEncoder is a language-level global in browsers, workers and Node (no host import). Measured
// against a charCodeAt loop (no allocation): the encoder was 2-9x faster on every size tried (4 KiB
// ASCII 1.6 vs 10.6 µs, 700 KiB 0.2 vs 1.0 ms), and fitsUtf8 calls it only for lengths where the
// answer is not known from the length alone.
const encoder = new TextEncoder()

/** UTF-8 length of a string (a lone surrogate counts 3 bytes: it is written as U+FFFD). */
export function utf8Bytes(s: string): number {
  return encoder.encode(s).length
}

/**
 * True when `s` is at most `max` UTF-8 bytes. O(1) for most strings: UTF-8 needs at least one byte
 * and at most three per UTF-16 code unit, so only lengths between max/3 and max need counting.
 */
export function fitsUtf8(s: string, max: number): boolean {
  if (s.length > max) return false
  if (s.length * 3 <= max) return true
  return utf8Bytes(s) <= max
}

/** Throws VALUE_TOO_LARGE unless the value (a string; null = delete) is at most `max` UTF-8 bytes. */
export function assertValueSize(key: string, value: string | null, max: number): void {
  if (value === null || fitsUtf8(value, max)) return
  const valueBytes = utf8Bytes(value)
  throw dbError(
    'VALUE_TOO_LARGE',
    `the value of ${shortKey(key)} is ${valueBytes} bytes (UTF-8); valueBytesMax is ${max}`,
    { key: shortKey(key), valueBytes, valueBytesMax: max },
  )
}

/** Throws BAD_INPUT unless `key` is a non-empty string of at most `max` UTF-8 bytes. */
export function assertKeySize(key: string, max: number): void {
  if (fitsUtf8(key, max)) return
  const keyBytes = utf8Bytes(key)
  throw dbError('BAD_INPUT', `the key ${shortKey(key)} is ${keyBytes} bytes (UTF-8); keyBytesMax is ${max}`, {
    key: shortKey(key),
    keyBytes,
    keyBytesMax: max,
  })
}

function shortKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 37)}...` : key)
}
