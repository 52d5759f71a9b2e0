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

/** One drawn tree node: where it sits, whether it differs between the replicas, whether its subtree is empty. */
export interface TreeNodeView {
  level: number
  index: number
  x: number
  y: number
  mismatch: boolean
  empty: boolean
  hash: string
}

/** A link from a parent to a child; `path` when the child differs (the exchange descends it). */
export interface TreeLinkView {
  x1: number
  y1: number
  x2: number
  y2: number
  path: boolean
}

export interface TreeDrawing {
  width: number
  height: number
  nodes: TreeNodeView[]
  links: TreeLinkView[]
  /** Nodes (all levels drawn) whose hashes differ. */
  mismatched: number
}

/**
 * Lays out the top levels of a Merkle tree (root first, each level `arity` times wider) as nodes and
 * parent → child links, marking where `grid` says the two replicas differ: the mismatch path from the
 * root down to the differing subtrees.
 */
export function treeDrawing(
  levels: readonly string[][],
  grid: readonly boolean[][],
  width = 240,
  rowHeight = 40,
  pad = 10,
): TreeDrawing {
  const nodes: TreeNodeView[] = []
  const links: TreeLinkView[] = []
  const at = (l: number, i: number) => ({
    x: pad + ((i + 0.5) * (width - 2 * pad)) / levels[l].length,
    y: pad + l * rowHeight,
  })
  levels.forEach((lvl, l) => {
    lvl.forEach((hash, i) => {
      const p = at(l, i)
      const mismatch = !!grid[l]?.[i]
      nodes.push({ level: l, index: i, ...p, mismatch, empty: /^0+$/.test(hash), hash })
      if (l === 0) return
      const arity = Math.max(1, Math.round(lvl.length / levels[l - 1].length))
      const q = at(l - 1, Math.floor(i / arity))
      links.push({ x1: q.x, y1: q.y, x2: p.x, y2: p.y, path: mismatch })
    })
  })
  return {
    width,
    height: 2 * pad + Math.max(0, levels.length - 1) * rowHeight,
    nodes,
    links,
    mismatched: nodes.filter((n) => n.mismatch).length,
  }
}

/**
 * What an exchange found, in words: "The roots differ; the exchange followed 3 of 4 subtrees down to 7
 * mismatched leaves (of 1024) and sent only their rows: 12 keys each way at most."
 */
export function exchangePathText(
  grid: readonly boolean[][],
  leafCount: number,
  stats: Pick<ExchangeDetail, 'mismatchedLeaves' | 'keysSent' | 'keysReceived' | 'error'> | null,
): string {
  if (stats?.error) return `The exchange stopped early: ${stats.error}.`
  if (!grid[0]?.[0]) return 'The roots match: the exchange stopped after one hash, nothing else travelled.'
  if (stats && stats.mismatchedLeaves === 0)
    return 'These trees differed a moment ago, but when the exchange ran the roots already matched (replication had delivered the missing writes): nothing travelled.'
  const level1 = grid[1] ?? []
  const differ = level1.filter(Boolean).length
  const sub = level1.length > 0 ? `followed ${differ} of ${level1.length} subtrees` : 'went down the tree'
  const leaves = stats
    ? `${stats.mismatchedLeaves} mismatched lea${stats.mismatchedLeaves === 1 ? 'f' : 'ves'} (of ${leafCount})`
    : `the mismatched leaves (of ${leafCount})`
  const rows = stats
    ? `: ${stats.keysSent} row${stats.keysSent === 1 ? '' : 's'} sent, ${stats.keysReceived} received`
    : ''
  return `The roots differ; the exchange ${sub} down to ${leaves} and sent only their rows${rows}.`
}
