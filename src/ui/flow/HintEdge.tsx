/** Dashed arrow from a hint holder to the owner it holds hints for; disappears as the hints drain. */
import { BaseEdge, type EdgeProps } from '@xyflow/react'
import { memo } from 'react'
import { HINT_BEND, type HintEdgeData } from './deriveFlow'
import { clipToBox } from './edgeLabels'
import { EdgeChipView } from './LinkEdge'

function HintEdgeInner(props: EdgeProps & { data: HintEdgeData }) {
  const { sourceX, sourceY, targetX, targetY, data, id } = props
  const a = { x: sourceX, y: sourceY }
  const b = { x: targetX, y: targetY }
  // Bow the curve so the arrow does not sit exactly on the replication link.
  const mx = (a.x + b.x) / 2 + (b.y - a.y) * HINT_BEND
  const my = (a.y + b.y) / 2 - (b.x - a.x) * HINT_BEND
  const s = clipToBox(a, { x: mx, y: my }, data.cardHalf.w, data.cardHalf.h)
  const t = clipToBox(b, { x: mx, y: my }, data.cardHalf.w, data.cardHalf.h, 6)
  return (
    <>
      <BaseEdge
        id={id}
        path={`M ${s.x} ${s.y} Q ${mx} ${my} ${t.x} ${t.y}`}
        className="hint-edge"
        markerEnd="url(#hint-arrow)"
      />
      {data.chip.lines.length > 0 && (
        <EdgeChipView chip={data.chip} a={a} b={b} bend={HINT_BEND} className="hint-chip" />
      )}
    </>
  )
}

export const HintEdge = memo(HintEdgeInner)
