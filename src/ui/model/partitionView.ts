/**
 * The partition view's model: each partition of the map as an arc (ring: its token arc; hash and
 * range: equal sectors in id order), its owners, its heat (client ops vs the mean) and the move
 * touching it. Pure, so the drawing and the tests read the same numbers.
 */
import type { MoveProgress } from '../../cluster/moveProgress'
import type { PartitionInfo, PartitionMap } from '../../core/ring/placement'
import { tokenFraction } from './ringGeometry'

export interface PartitionArc {
  id: number
  /** Fractions of the circle, 0 at the top, clockwise; end > start (may exceed 1 when wrapping). */
  start: number
  end: number
  owner: string
  replicas: string[]
  /** Words for the range: "[a, m)", "[m, end)", "hash bucket 3", "token arc 12.5%–20.1%". */
  label: string
  ops: number
  /** ops ÷ the mean ops per partition (0 when nothing was counted). */
  heat: number
  /** Hotter than the getHotPartitions threshold (2 × the mean). */
  hot: boolean
  /** The running copy that gives this partition's keys new replicas, and to whom. */
  moving: { moveId: number; to: string[] } | null
}

/** getHotPartitions' default threshold. */
export const HOT_THRESHOLD = 2

function rangeLabel(p: PartitionInfo): string {
  const start = p.start === '' ? '(start)' : JSON.stringify(p.start)
  const end = p.end === null ? 'end' : JSON.stringify(p.end)
  return `[${start}, ${end})`
}

/** The map as arcs with heat and moves (`stats`: ops per partition id, `moves`: the running ones). */
export function partitionArcs(
  map: PartitionMap,
  stats: Readonly<Record<number, number>>,
  moves: readonly MoveProgress[],
): PartitionArc[] {
  const count = map.partitions.length
  const total = map.partitions.reduce((a, p) => a + (stats[p.id] ?? 0), 0)
  const mean = count > 0 ? total / count : 0
  // While a move copies, the map is still the old one (published only once the data is in place):
  // outline the old partitions whose keys are being copied, for the nodes receiving them.
  const movingTo = new Map<number, { moveId: number; to: Set<string> }>()
  for (const m of moves)
    if (m.phase === 'copying' && m.fromMapVersion === map.version)
      for (const p of m.partitions)
        for (const id of p.wasIds) {
          const entry = movingTo.get(id) ?? { moveId: m.id, to: new Set<string>() }
          for (const t of p.to) entry.to.add(t)
          movingTo.set(id, entry)
        }
  return map.partitions.map((p, i) => {
    let start: number
    let end: number
    let label: string
    if (map.strategy === 'ring') {
      start = tokenFraction(p.start)
      end = tokenFraction(p.end ?? p.start)
      if (end <= start) end += 1
      if (count === 1) end = start + 1
      label = `token arc ${(start * 100).toFixed(1)}%–${((end % 1 || 1) * 100).toFixed(1)}%`
    } else {
      start = i / count
      end = (i + 1) / count
      label = map.strategy === 'range' ? rangeLabel(p) : `hash bucket ${p.id} of ${count}`
    }
    const ops = stats[p.id] ?? 0
    const heat = mean > 0 ? ops / mean : 0
    const moving = movingTo.get(p.id)
    return {
      id: p.id,
      start,
      end,
      owner: p.node,
      replicas: p.replicas,
      label,
      ops,
      heat,
      hot: mean > 0 && ops > HOT_THRESHOLD * mean,
      moving: moving ? { moveId: moving.moveId, to: [...moving.to].sort() } : null,
    }
  })
}

/** While copying, the ids of the map in force (the old one, the one drawn); after, the new map's. */
export function movedIds(m: MoveProgress): number[] {
  if (m.phase !== 'copying') return m.partitions.map((p) => p.id)
  return [...new Set(m.partitions.flatMap((p) => p.wasIds))].sort((x, y) => x - y)
}

/** Share of the circle each owner's partitions cover (ring: of the token space; hash, range: of the partitions). */
export function ownerShares(arcs: readonly PartitionArc[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const a of arcs) out[a.owner] = (out[a.owner] ?? 0) + (a.end - a.start)
  return out
}

/** An SVG path for the ring band between radii `r0` < `r1` over [start, end) of the circle. */
export function arcPath(cx: number, cy: number, r0: number, r1: number, start: number, end: number): string {
  const span = Math.min(end - start, 0.9999)
  const a0 = start * 2 * Math.PI
  const a1 = (start + span) * 2 * Math.PI
  const pt = (r: number, a: number) =>
    `${(cx + r * Math.sin(a)).toFixed(2)} ${(cy - r * Math.cos(a)).toFixed(2)}`
  const large = span > 0.5 ? 1 : 0
  return `M ${pt(r1, a0)} A ${r1} ${r1} 0 ${large} 1 ${pt(r1, a1)} L ${pt(r0, a1)} A ${r0} ${r0} 0 ${large} 0 ${pt(r0, a0)} Z`
}

/** "1.2 KB", "340 B", "2.5 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`
  return `${(bytes / 1_000_000).toFixed(1)} MB`
}

/** "about 12 s left", "under a second left", "estimating…". */
export function formatEta(etaMs: number | null): string {
  if (etaMs === null) return 'estimating time left…'
  if (etaMs < 1000) return 'under a second left'
  if (etaMs < 90_000) return `about ${Math.round(etaMs / 1000)} s left`
  return `about ${Math.round(etaMs / 60_000)} min left`
}

/**
 * What a move is doing now, in words, and the fraction done of the whole move: both passes by bytes,
 * the catch-up counted as large as the copy until it is counted itself (it re-sends the moved rows).
 */
export function moveStatus(m: MoveProgress): { step: string; fraction: number; detail: string } {
  const pass = m.phase === 'catching-up' && m.catchUp ? m.catchUp : m
  const catchUpTotal = m.catchUp && m.catchUp.bytesTotal > 0 ? m.catchUp.bytesTotal : m.bytesTotal
  const all = m.bytesTotal + catchUpTotal
  const done = m.bytesDone + (m.catchUp?.bytesDone ?? 0)
  const fraction = m.phase === 'done' ? 1 : all > 0 ? Math.min(1, done / all) : 0
  const detail = `${formatBytes(pass.bytesDone)} of ${formatBytes(pass.bytesTotal)} · ${pass.keysDone} of ${pass.keysTotal} rows`
  if (m.phase === 'copying')
    return {
      step: 'Step 1 of 2: copying rows to their new owners (the old map stays in force)',
      fraction,
      detail,
    }
  if (m.phase === 'catching-up')
    return {
      step: 'Step 2 of 2: new map in force; copying writes made during step 1',
      fraction,
      detail,
    }
  if (m.phase === 'failed')
    return { step: `Failed, nothing changed: ${m.error?.message ?? 'unknown error'}`, fraction, detail }
  return { step: `Done in ${formatDuration(m.durationMs ?? 0)}`, fraction: 1, detail }
}

/** Time left in words: the whole move, and while copying also when the new map goes into force. */
export function moveEtaText(m: MoveProgress): string {
  const whole = formatEta(m.etaDoneMs)
  if (m.phase !== 'copying' || m.etaMs === null) return whole
  return `${whole} (new map in force in ${formatEta(m.etaMs)
    .replace(/^about /, '')
    .replace(/ left$/, '')})`
}

/** "4.5 s", "320 ms". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}
