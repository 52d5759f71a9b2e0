/** A network zone (nodes in different zones are partitioned) or the kill area. */
import type { NodeProps } from '@xyflow/react'
import { memo } from 'react'
import type { ZoneNodeData } from './deriveFlow'

function ZoneNodeViewInner({ data }: NodeProps & { data: ZoneNodeData }) {
  return (
    <div
      className={`zone zone-${data.kind}`}
      data-testid={data.kind === 'kill' ? 'kill-area' : `zone-${data.label.slice(-1)}`}
    >
      <span className="zone-label">
        {data.kind === 'kill' ? '☠ ' : ''}
        {data.label}
        {data.kind === 'zone' ? (
          <span className="zone-count">
            {' '}
            · {data.count} node{data.count === 1 ? '' : 's'}
          </span>
        ) : null}
      </span>
    </div>
  )
}

export const ZoneNodeView = memo(ZoneNodeViewInner)
