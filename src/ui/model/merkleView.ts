/** Merkle view helpers: compare two replicas' top tree levels, parse 'merkle-exchange' event details. */

export interface MerkleRangeLike {
  rangeIndex: number
  replicas: string[]
  keys: number
  rootHex: string
  levels: string[][]
}

export interface ExchangeDetail {
  peer: string
  rangeIndex: number
  mismatchedLeaves: number
  keysSent: number
  keysReceived: number
  keysApplied: number
  bytesSent: number
  fullTransferBytes: number
  error?: string
}

/** Per level, per position: true where the two trees' hashes differ. */
export function mismatchGrid(a: readonly string[][], b: readonly string[][]): boolean[][] {
  const levels = Math.min(a.length, b.length)
  return Array.from({ length: levels }, (_, l) =>
    Array.from({ length: Math.max(a[l].length, b[l].length) }, (_, i) => a[l][i] !== b[l][i]),
  )
}

/** Parses an event detail (JSON of ExchangeStats); null when it is not one. */
export function parseExchangeDetail(detail: string | undefined): ExchangeDetail | null {
  if (!detail) return null
  try {
    const d = JSON.parse(detail) as Partial<ExchangeDetail>
    if (typeof d.bytesSent !== 'number' || typeof d.fullTransferBytes !== 'number') return null
    return {
      peer: String(d.peer ?? ''),
      rangeIndex: Number(d.rangeIndex ?? -1),
      mismatchedLeaves: Number(d.mismatchedLeaves ?? 0),
      keysSent: Number(d.keysSent ?? 0),
      keysReceived: Number(d.keysReceived ?? 0),
      keysApplied: Number(d.keysApplied ?? 0),
      bytesSent: d.bytesSent,
      fullTransferBytes: d.fullTransferBytes,
      error: d.error,
    }
  } catch {
    return null
  }
}

/** Bytes saved versus shipping the whole range (0 when the exchange cost more). */
export function bytesSaved(d: Pick<ExchangeDetail, 'bytesSent' | 'fullTransferBytes'>): number {
  return Math.max(0, d.fullTransferBytes - d.bytesSent)
}

/**
 * What "saved vs a full transfer" means for these figures: the exchange ships tree hashes plus the
 * rows of mismatched leaves; a full transfer ships every row of the range. Small ranges can cost more
 * than a full copy (the hashes outweigh the rows): said so when it happens.
 */
export function savingText(sentBytes: number, fullBytes: number): string {
  if (fullBytes <= 0) return 'Nothing to compare yet: the range holds no rows.'
  if (sentBytes <= fullBytes) {
    const pct = Math.round((100 * (fullBytes - sentBytes)) / fullBytes)
    return `Saved ${pct}%: the trees' hashes found the differing leaves, so only their rows went over the wire (${sentBytes} B) instead of the whole range (${fullBytes} B).`
  }
  const more = Math.round((100 * (sentBytes - fullBytes)) / fullBytes)
  return `Cost ${more}% more than a full copy (${sentBytes} B vs ${fullBytes} B): for ranges this small the hashes exchanged outweigh the rows, so copying the range outright would have been cheaper.`
}
