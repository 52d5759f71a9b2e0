/**
 * Synchronous SHA-1 (FIPS 180-4) of a UTF-8 string, plus a fast non-cryptographic 53-bit hash.
 *
 * WebCrypto's digest is async, so the ring and Merkle trees need their own. SHA-1 runs on 32-bit
 * words over one shared, growable byte buffer and one 80-word schedule, so a call allocates only
 * its 40-char result string. Not re-entrant across threads, but JS runs one call at a time.
 */

const SCHEDULE = new Int32Array(80)
let bytes = new Uint8Array(1024)

const HEX_BYTE: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Writes `str` as UTF-8 into the shared buffer (lone surrogates become U+FFFD, like TextEncoder). */
function encodeUtf8(str: string): number {
  // Worst case 3 bytes per UTF-16 unit, plus up to 72 bytes of SHA-1 padding.
  const needed = str.length * 3 + 72
  if (bytes.length < needed) bytes = new Uint8Array(Math.max(needed, bytes.length * 2))
  const out = bytes
  let n = 0
  for (let i = 0; i < str.length; i++) {
    let c = str.charCodeAt(i)
    if (c < 0x80) {
      out[n++] = c
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6)
      out[n++] = 0x80 | (c & 63)
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < str.length ? str.charCodeAt(i + 1) : 0
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
        i++
        out[n++] = 0xf0 | (c >> 18)
        out[n++] = 0x80 | ((c >> 12) & 63)
        out[n++] = 0x80 | ((c >> 6) & 63)
        out[n++] = 0x80 | (c & 63)
      } else {
        out[n++] = 0xef
        out[n++] = 0xbf
        out[n++] = 0xbd
      }
    } else {
      out[n++] = 0xe0 | (c >> 12)
      out[n++] = 0x80 | ((c >> 6) & 63)
      out[n++] = 0x80 | (c & 63)
    }
  }
  return n
}

/** SHA-1 of the UTF-8 bytes of `str` as five 32-bit words, written into `out` (reused by the caller). */
export function sha1Words(str: string, out: Uint32Array = new Uint32Array(5)): Uint32Array {
  const len = encodeUtf8(str)
  const buf = bytes
  // Padding: 0x80, zeros to 56 mod 64, then the 64-bit big-endian bit length.
  const total = (((len + 8) >> 6) + 1) << 6
  buf[len] = 0x80
  buf.fill(0, len + 1, total)
  const bitLen = len * 8
  buf[total - 5] = Math.floor(bitLen / 0x100000000) & 0xff
  buf[total - 4] = (bitLen >>> 24) & 0xff
  buf[total - 3] = (bitLen >>> 16) & 0xff
  buf[total - 2] = (bitLen >>> 8) & 0xff
  buf[total - 1] = bitLen & 0xff

  const w = SCHEDULE
  let h0 = 0x67452301
  let h1 = 0xefcdab89 | 0
  let h2 = 0x98badcfe | 0
  let h3 = 0x10325476
  let h4 = 0xc3d2e1f0 | 0
  for (let block = 0; block < total; block += 64) {
    for (let t = 0; t < 16; t++) {
      const p = block + t * 4
      w[t] = (buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]
    }
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]
      w[t] = (x << 1) | (x >>> 31)
    }
    let a = h0
    let b = h1
    let c = h2
    let d = h3
    let e = h4
    // Four loops instead of one with a branch per round: about 1.5x faster in V8.
    for (let t = 0; t < 20; t++) {
      const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[t]) | 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = temp
    }
    for (let t = 20; t < 40; t++) {
      const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t]) | 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = temp
    }
    for (let t = 40; t < 60; t++) {
      const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + w[t]) | 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = temp
    }
    for (let t = 60; t < 80; t++) {
      const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + w[t]) | 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = temp
    }
    h0 = (h0 + a) | 0
    h1 = (h1 + b) | 0
    h2 = (h2 + c) | 0
    h3 = (h3 + d) | 0
    h4 = (h4 + e) | 0
  }
  out[0] = h0
  out[1] = h1
  out[2] = h2
  out[3] = h3
  out[4] = h4
  return out
}

const WORDS = new Uint32Array(5)

/** Lowercase hex of a 32-bit word, always 8 chars. */
export function hex32(word: number): string {
  return (
    HEX_BYTE[word >>> 24] +
    HEX_BYTE[(word >>> 16) & 255] +
    HEX_BYTE[(word >>> 8) & 255] +
    HEX_BYTE[word & 255]
  )
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0))
const TOKEN_CODES = new Uint16Array(40)

/**
 * SHA-1 of the UTF-8 bytes of `str` as 40 lowercase hex chars, built as ONE flat string: joining
 * twenty pieces made a rope of intermediate strings for every key routed (a top allocation site of a
 * busy worker), and ring lookups compare these tokens.
 */
export function sha1Hex(str: string): string {
  const h = sha1Words(str, WORDS)
  for (let i = 0; i < 5; i++) {
    const word = h[i]
    for (let j = 0; j < 8; j++) TOKEN_CODES[i * 8 + j] = HEX_CODES[(word >>> (28 - 4 * j)) & 15]
  }
  return String.fromCharCode.apply(null, TOKEN_CODES as unknown as number[])
}

/**
 * cyrb53: a fast non-cryptographic hash of the UTF-16 units of `str`, in [0, 2^53). Used for Merkle
 * row hashes, where speed matters and an adversary does not; split it with `>>> 0` (low 32 bits)
 * and `Math.floor(h / 2 ** 32)` (high 21 bits).
 */
export function cyrb53(str: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed
  let h2 = 0x41c6ce57 ^ seed
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}
