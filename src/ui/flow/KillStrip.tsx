/** The kill area: a strip fixed to the bottom of the canvas (not a flow node), so it is always in view. */
import { forwardRef } from 'react'

/** True when the pointer of a drag event is over the strip. */
export function pointerOverKill(
  el: HTMLElement | null,
  e: MouseEvent | TouchEvent | { clientX: number; clientY: number },
): boolean {
  if (!el) return false
  const p = 'touches' in e ? (e.changedTouches[0] ?? e.touches[0]) : e
  if (!p) return false
  const r = el.getBoundingClientRect()
  return p.clientX >= r.left && p.clientX <= r.right && p.clientY >= r.top && p.clientY <= r.bottom
}

export const KillStrip = forwardRef<HTMLDivElement, { caption?: string; dragging: boolean }>(
  function KillStrip({ caption, dragging }, ref) {
    return (
      <div
        ref={ref}
        className={`kill-strip${caption ? ' drop-target' : ''}${dragging ? ' dragging' : ''}`}
        data-testid="kill-area"
      >
        <span aria-hidden="true">☠</span> {caption ?? 'Kill area — drop a node here to kill it'}
      </div>
    )
  },
)
