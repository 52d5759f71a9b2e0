/** FNV-1a over a string's UTF-16 units from one offset basis, as 8 hex digits. */
function fnv(text: string, basis: number): string {
  let h = basis
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, '0')
}

/** A short, stable string hash (FNV-1a, 32 bits, as 8 hex digits): context tags. */
export function fnv1a(text: string): string {
  return fnv(text, 0x811c9dc5)
}

/** A 64-bit digest (two FNV-1a passes from different bases, 16 hex digits): state digests. */
export function digest64(text: string): string {
  return fnv(text, 0x811c9dc5) + fnv(text, 0x01000193)
}

/** An incremental 64-bit digest (two FNV-1a-style lanes, different primes, in one pass), fed strings and numbers, no concatenation. */
export class Digest64 {
  private a = 0x811c9dc5
  private b = 0x01000193
  text(t: string): this {
    let a = this.a
    let b = this.b
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i)
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(b ^ c, 0x5bd1e995)
    }
    // A separator, so ("ab","c") and ("a","bc") differ.
    this.a = Math.imul(a ^ 0x1f, 0x01000193)
    this.b = Math.imul(b ^ 0x1f, 0x5bd1e995)
    return this
  }
  num(n: number): this {
    return this.text(String(n))
  }
  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0')
  }
}
