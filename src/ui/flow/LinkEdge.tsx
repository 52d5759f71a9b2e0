/** A replication link between two nodes: thickness from traffic, red when partitioned or cut, fault labels. */
import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getStraightPath } from '@xyflow/react'
import { memo } from 'react'
import type { LinkDir, LinkEdgeData } from './deriveFlow'

function rate(r: number): string {
  return r >= 10 ? `${Math.round(r)}/s` : `${r.toFixed(1)}/s`
}

function dirText(d: LinkDir, a: string, b: string): string {
  const parts: string[] = []
  if (d.faultLabel) parts.push(d.faultLabel)
  if (d.dropsPerSec > 0) parts.push(`✕${rate(d.dropsPerSec)}`)
  if (parts.length === 0) return ''
  return `${a.slice(5)}→${b.slice(5)} ${parts.join(' ')}`
}

function LinkEdgeInner(props: EdgeProps & { data: LinkEdgeData }) {
  const { sourceX, sourceY, targetX, targetY, data, id } = props
  const [path, lx, ly] = getStraightPath({ sourceX, sourceY, targetX, targetY })
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
  const labels = [dirText(data.ab, data.a, data.b), dirText(data.ba, data.b, data.a)].filter(Boolean)
  const showRate = total >= 0.5 && (!data.dense || data.selected)
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className={cls.join(' ')}
        style={{ strokeWidth: width }}
        interactionWidth={16}
      />
      {(labels.length > 0 || showRate || data.selected) && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label${faulty ? ' faulty' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${lx}px, ${ly}px)` }}
          >
            {showRate && <span className="edge-rate">{rate(total)}</span>}
            {labels.map((l) => (
              <span key={l} className="edge-fault">
                {l}
              </span>
            ))}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  )
}

export const LinkEdge = memo(LinkEdgeInner)
