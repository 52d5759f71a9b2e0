/**
 * A dashed hint arrow between a stand-in and the owner it holds hints for. While the owner is down the
 * arrow points owner → stand-in (its writes wait there); once the stand-in sees it up the arrow
 * reverses, stand-in → owner, while the count goes down; a finished drain stays a moment, solid.
 */
import { memo } from 'react'
import { HINT_BEND, type HintEdgeData } from './deriveFlow'
import { clipToBox } from './edgeLabels'
import { EdgeChipView } from './LinkEdge'

interface HintEdgeProps {
  id: string
  sourceX: number
  sourceY: number
  targetX: number
  targetY: number
  data: HintEdgeData
}

function HintEdgeInner({ sourceX, sourceY, targetX, targetY, data }: HintEdgeProps) {
  const a = { x: sourceX, y: sourceY }
  const b = { x: targetX, y: targetY }
  // Bow the curve so the arrow does not sit exactly on the replication link.
  const mx = (a.x + b.x) / 2 + (b.y - a.y) * HINT_BEND
  const my = (a.y + b.y) / 2 - (b.x - a.x) * HINT_BEND
  const toOwner = data.phase !== 'holding'
  const s = clipToBox(a, { x: mx, y: my }, data.cardHalf.w, data.cardHalf.h, toOwner ? 3 : 6)
  const t = clipToBox(b, { x: mx, y: my }, data.cardHalf.w, data.cardHalf.h, toOwner ? 6 : 3)
  const [from, to] = toOwner ? [s, t] : [t, s]
  return (
    <>
      <path
        d={`M ${from.x} ${from.y} Q ${mx} ${my} ${to.x} ${to.y}`}
        className={`hint-edge ${data.phase}`}
        markerEnd="url(#hint-arrow)"
        fill="none"
        data-testid="hint-edge"
        data-phase={data.phase}
        data-from={toOwner ? data.holder : data.owner}
        data-to={toOwner ? data.owner : data.holder}
      />
      {data.chip.lines.length > 0 && (
        <EdgeChipView chip={data.chip} a={a} b={b} bend={HINT_BEND} className={`hint-chip ${data.phase}`} />
      )}
    </>
  )
}

export const HintEdge = memo(HintEdgeInner)
