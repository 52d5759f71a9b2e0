/** A network zone: nodes in different zones are partitioned. Highlights with a caption while a node is dragged over it. */
import type { NodeProps } from '@xyflow/react'
import { memo } from 'react'
import type { ZoneNodeData } from './deriveFlow'

function ZoneNodeViewInner({ data }: NodeProps & { data: ZoneNodeData }) {
  return (
    <div
      className={`zone${data.dropCaption ? ' drop-target' : ''}${data.count === 0 ? ' empty' : ''}${data.stacked ? ' stacked' : ''}`}
      data-testid={`zone-${data.zone}`}
    >
      <span className="zone-label">
        {data.label}
        <span className="zone-count">
          {' '}
          · {data.count} node{data.count === 1 ? '' : 's'}
        </span>
      </span>
      {data.count === 0 && !data.dropCaption && (
        <span className="zone-empty-hint">drag a node here to partition it</span>
      )}
      {data.dropCaption && (
        <span className="drop-caption" data-testid={`zone-${data.zone}-caption`}>
          {data.dropCaption}
        </span>
      )}
    </div>
  )
}

export const ZoneNodeView = memo(ZoneNodeViewInner)
