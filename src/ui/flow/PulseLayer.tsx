/** Sampled messages as dots moving along edges (CSS transform animations; never one per message). */
import { ViewportPortal } from '@xyflow/react'
import { memo } from 'react'
import { nodeIdColor } from '../model/colors'
import { useStore } from '../store/store'

function PulseLayerInner({ centers }: { centers: Readonly<Record<string, { x: number; y: number }>> }) {
  const pulses = useStore((s) => s.pulses)
  return (
    <ViewportPortal>
      <div className="pulse-layer" aria-hidden="true">
        {pulses.map((p) => {
          const a = centers[p.from]
          const b = centers[p.to]
          if (!a || !b) return null
          const k = p.dropped ? 0.5 : 1
          return (
            <div
              key={p.id}
              className={`pulse${p.dropped ? ' dropped' : ''}`}
              style={{
                left: a.x,
                top: a.y,
                background: p.dropped ? undefined : nodeIdColor(p.from),
                ['--dx' as string]: `${(b.x - a.x) * k}px`,
                ['--dy' as string]: `${(b.y - a.y) * k}px`,
              }}
            />
          )
        })}
      </div>
    </ViewportPortal>
  )
}

export const PulseLayer = memo(PulseLayerInner)
