/**
 * A replication link between two nodes: thickness from traffic, red when partitioned or cut, an
 * arrowhead on each direction that carries a one-way fault, and an opaque label chip clear of cards.
 */
import { BaseEdge, EdgeLabelRenderer, type EdgeProps } from '@xyflow/react'
import { memo } from 'react'
import type { EdgeChip, LinkEdgeData } from './deriveFlow'
import { chipPoint, clipToBox, type Point } from './edgeLabels'

/** The chip of an edge at its placed spot on the live line. */
export function EdgeChipView({
  chip,
  a,
  b,
  bend,
  className,
}: {
  chip: EdgeChip
  a: Point
  b: Point
  bend: number
  className: string
}) {
  const p = chipPoint(a, b, bend, chip.place)
  return (
    <EdgeLabelRenderer>
      <div
        className={`edge-chip ${className}`}
        style={{ transform: `translate(-50%, -50%) translate(${p.x}px, ${p.y}px)` }}
      >
        {chip.lines.map((l) => (
          <span key={l}>{l}</span>
        ))}
      </div>
    </EdgeLabelRenderer>
  )
}

function LinkEdgeInner(props: EdgeProps & { data: LinkEdgeData }) {
  const { sourceX, sourceY, targetX, targetY, data, id } = props
  const a = { x: sourceX, y: sourceY }
  const b = { x: targetX, y: targetY }
  // End at the card borders so arrowheads are not hidden under the cards.
  const s = clipToBox(a, b, data.cardHalf.w, data.cardHalf.h)
  const t = clipToBox(b, a, data.cardHalf.w, data.cardHalf.h)
  const total = data.ab.ratePerSec + data.ba.ratePerSec
  const width = 1.2 + Math.min(5, Math.log2(1 + total))
  const cut = data.ab.rule?.cut || data.ba.rule?.cut
  const faulty = data.partitioned || cut || data.ab.dropsPerSec + data.ba.dropsPerSec > 0
  const inTopo = data.ab.inTopology || data.ba.inTopology
  const cls = [
    'link-edge',
    faulty ? 'faulty' : '',
    data.partitioned ? 'partitioned' : '',
    inTopo ? '' : 'off-topo',
  ]
  if (data.selected) cls.push('selected')
  const arrowAB = data.ab.faultLabel !== ''
  const arrowBA = data.ba.faultLabel !== ''
  const step = data.step
  const [sx, sy, tx, ty] = step?.from === data.a ? [s.x, s.y, t.x, t.y] : [t.x, t.y, s.x, s.y]
  return (
    <>
      {step && (
        <path
          d={`M ${sx} ${sy} L ${tx} ${ty}`}
          className="step-edge"
          markerEnd="url(#step-arrow)"
          data-testid="step-edge"
          data-from={step.from}
          data-to={step.to}
        />
      )}
      <BaseEdge
        id={id}
        path={`M ${s.x} ${s.y} L ${t.x} ${t.y}`}
        className={cls.join(' ')}
        style={{ strokeWidth: width }}
        markerEnd={arrowAB ? 'url(#link-arrow-fault)' : undefined}
        markerStart={arrowBA ? 'url(#link-arrow-fault-start)' : undefined}
        interactionWidth={16}
      />
      {data.chip && (
        <EdgeChipView
          chip={data.chip}
          a={a}
          b={b}
          bend={0}
          className={step ? 'step' : arrowAB || arrowBA || faulty ? 'faulty' : ''}
        />
      )}
    </>
  )
}

export const LinkEdge = memo(LinkEdgeInner)
