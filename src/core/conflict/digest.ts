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
