/**
 * Per-table Bloom filter (double hashing over two 32-bit string hashes), so a point get skips tables
 * that cannot hold the key without reading a block. Stored in the table's meta record.
 */

export interface BloomFilter {
  bits: Uint8Array
  hashCount: number
}

/** Two independent 32-bit hashes of a string (FNV-1a and a multiplicative mix). */
export function keyHashes(key: string): [number, number] {
  let h1 = 0x811c9dc5
  let h2 = 0x9747b28c
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
    h2 ^= h2 >>> 15
  }
  return [h1 >>> 0, (h2 | 1) >>> 0]
}

/** Builds a filter from precomputed key hashes (bitsPerKey ~10 gives ~1% false positives). */
export function buildBloomFilter(
  h1s: readonly number[],
  h2s: readonly number[],
  bitsPerKey: number,
): BloomFilter {
  const bitCount = Math.max(64, Math.ceil(h1s.length * bitsPerKey))
  const bits = new Uint8Array(Math.ceil(bitCount / 8))
  const hashCount = Math.max(1, Math.min(12, Math.round(bitsPerKey * Math.LN2)))
  const m = bits.length * 8
  for (let i = 0; i < h1s.length; i++) {
    for (let j = 0; j < hashCount; j++) {
      const bit = ((h1s[i] + Math.imul(j, h2s[i])) >>> 0) % m
      bits[bit >>> 3] |= 1 << (bit & 7)
    }
  }
  return { bits, hashCount }
}

/** False means the key is certainly absent; true means it may be present. */
export function bloomMayContain(filter: BloomFilter, hashes: readonly [number, number]): boolean {
  const m = filter.bits.length * 8
  for (let j = 0; j < filter.hashCount; j++) {
    const bit = ((hashes[0] + Math.imul(j, hashes[1])) >>> 0) % m
    if ((filter.bits[bit >>> 3] & (1 << (bit & 7))) === 0) return false
  }
  return true
}
