import { describe, expect, it } from 'vitest'
import { bloomMayContain, buildBloomFilter, keyHashes } from './bloomFilter'

describe('bloom filter', () => {
  it('never gives a false negative and keeps false positives near 1% at 10 bits per key', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `key-${i}`)
    const hashes = keys.map(keyHashes)
    const filter = buildBloomFilter(
      hashes.map((h) => h[0]),
      hashes.map((h) => h[1]),
      10,
    )
    for (const h of hashes) expect(bloomMayContain(filter, h)).toBe(true)
    let falsePositives = 0
    for (let i = 0; i < 10_000; i++) if (bloomMayContain(filter, keyHashes(`other-${i}`))) falsePositives++
    expect(falsePositives / 10_000).toBeLessThan(0.03)
  })
})
