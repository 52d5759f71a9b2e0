import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isDbError, toErrorData } from './errors'
import { assertKeySize, assertValueSize, fitsUtf8, utf8Bytes } from './limits'

const encoder = new TextEncoder()

function codeOf(f: () => void): string {
  try {
    f()
  } catch (e) {
    return isDbError(e) ? `${e.code}: ${toErrorData(e).message}` : `uncoded ${String(e)}`
  }
  return 'ok'
}

describe('utf8Bytes', () => {
  it('counts what TextEncoder writes (ASCII, Latin-1, BMP, astral, lone surrogates)', () => {
    for (const s of [
      '',
      'abc',
      'é',
      'ünïcødé',
      '€',
      '日本語',
      '😀',
      'a😀b',
      '\ud800',
      '\udc00x',
      '\ud800\ud800',
    ])
      expect(utf8Bytes(s), s).toBe(encoder.encode(s).length)
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(utf8Bytes(s)).toBe(encoder.encode(s).length)
        for (const max of [0, 1, s.length, 2 * s.length, 3 * s.length])
          expect(fitsUtf8(s, max)).toBe(encoder.encode(s).length <= max)
      }),
    )
  })
})

describe('one value-size rule and a key-size rule', () => {
  it('values are held to valueBytesMax in UTF-8 bytes, with one message', () => {
    expect(codeOf(() => assertValueSize('k', 'x'.repeat(100), 100))).toBe('ok')
    expect(codeOf(() => assertValueSize('k', 'é'.repeat(50), 100))).toBe('ok')
    expect(codeOf(() => assertValueSize('k', 'é'.repeat(51), 100))).toBe(
      'VALUE_TOO_LARGE: the value of "k" is 102 bytes (UTF-8); valueBytesMax is 100',
    )
    expect(codeOf(() => assertValueSize('k', null, 0))).toBe('ok')
  })

  it('keys are held to keyBytesMax in UTF-8 bytes (BAD_INPUT, key shortened in the message)', () => {
    expect(codeOf(() => assertKeySize('€'.repeat(10), 30))).toBe('ok')
    expect(codeOf(() => assertKeySize('€'.repeat(11), 30))).toBe(
      'BAD_INPUT: the key "€€€€€€€€€€€" is 33 bytes (UTF-8); keyBytesMax is 30',
    )
    expect(codeOf(() => assertKeySize('k'.repeat(2 * 1024 * 1024), 4096))).toMatch(
      /^BAD_INPUT: the key "k{37}\.\.\." is 2097152 bytes \(UTF-8\); keyBytesMax is 4096$/,
    )
  })
})
