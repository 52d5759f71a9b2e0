import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cyrb53, hex32, sha1Hex, sha1Words } from './sha1'

describe('sha1Hex', () => {
  it.each([
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
    ['The quick brown fox jumps over the lazy dog', '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'],
    ['héllo wörld', '24e9f5c07847ff8a2a9fa77456655792f5bc7f9f'],
    ['日本語のキー', '622460bd575657f85980a793b966d8930c089a08'],
    ['😀 emoji|key', '64415d0f8dd9047e366991db170d7e5932d15218'],
    ['\ud800x', '1b14366e732a705b712cbf9fca4e9e89dcf70b17'],
  ])('hashes %j to the FIPS/known vector', (input, expected) => {
    expect(sha1Hex(input)).toBe(expected)
  })

  it('hashes a million "a" (multi-block, buffer growth) to the known vector', () => {
    expect(sha1Hex('a'.repeat(1_000_000))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f')
  })

  it('gives the same answer after a long input grew the shared buffer', () => {
    sha1Hex('x'.repeat(5000))
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d')
  })

  it('handles every length around the 55/56/64-byte padding boundaries', () => {
    for (let len = 50; len <= 130; len++) {
      const s = 'k'.repeat(len)
      expect(sha1Hex(s)).toBe(createHash('sha1').update(s, 'utf8').digest('hex'))
    }
  })

  it('agrees with node:crypto on arbitrary unicode strings (property)', () => {
    const seed = Date.now() % 1_000_000
    console.log(`sha1 property seed=${seed}`)
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(sha1Hex(s)).toBe(createHash('sha1').update(s, 'utf8').digest('hex'))
      }),
      { seed, numRuns: 500 },
    )
  })
})

describe('sha1Words', () => {
  it('returns the same digest as sha1Hex, as five words in the caller buffer', () => {
    const out = new Uint32Array(5)
    const words = sha1Words('abc', out)
    expect(words).toBe(out)
    expect(Array.from(words, hex32).join('')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d')
  })
})

describe('cyrb53', () => {
  it('is deterministic, below 2^53 and seed-dependent', () => {
    const h = cyrb53('row|key')
    expect(cyrb53('row|key')).toBe(h)
    expect(Number.isSafeInteger(h)).toBe(true)
    expect(h).toBeGreaterThanOrEqual(0)
    expect(cyrb53('row|key', 1)).not.toBe(h)
  })

  it('has no collisions among 100k distinct short keys', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 100_000; i++) seen.add(cyrb53(`key${i}`))
    expect(seen.size).toBe(100_000)
  })
})
