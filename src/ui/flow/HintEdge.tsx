/** Dashed arrow from a hint holder to the owner it holds hints for; disappears as the hints drain. */
import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react'
import { memo } from 'react'
import type { HintEdgeData } from './deriveFlow'

function HintEdgeInner(props: EdgeProps & { data: HintEdgeData }) {
  const { sourceX, sourceY, targetX, targetY, data, id } = props
  const [path, lx, ly] = getBezierPath({ sourceX, sourceY, targetX, targetY, curvature: 0.4 })
  // Offset the control point so the arrow does not sit exactly on the replication link.
  const mx = (sourceX + targetX) / 2 + (targetY - sourceY) * 0.18
  const my = (sourceY + targetY) / 2 - (targetX - sourceX) * 0.18
  const curved = `M ${sourceX} ${sourceY} Q ${mx} ${my} ${targetX} ${targetY}`
  void path
  return (
    <>
      <BaseEdge id={id} path={curved} className="hint-edge" markerEnd="url(#hint-arrow)" />
      <EdgeLabelRenderer>
        <div
          className="edge-label hint-label"
          style={{ transform: `translate(-50%, -50%) translate(${(lx + mx) / 2}px, ${(ly + my) / 2}px)` }}
        >
          {data.count} hint{data.count === 1 ? '' : 's'}
        </div>
      </EdgeLabelRenderer>
    </>
  )
}

export const HintEdge = memo(HintEdgeInner)
