/**
 * The diagram's canvas: redraws in its own animation frames from diagramLog (never through React
 * state), only when the data, the view or the hover changed; hover shows a tooltip, click selects.
 */
import { useEffect, useRef, useState } from 'react'
import { nodeIdColor } from '../model/colors'
import { useStore } from '../store/store'
import { diagramLog } from './diagramLog'
import { drawScene, type Palette } from './draw'
import {
  ARROWS_DRAWN_MAX,
  type Arrow,
  axisTicks,
  diagramHeight,
  faultBands,
  laneYs,
  nearestArrow,
  viewOf,
  visibleArrows,
} from './layout'
import {
  type DiagramFilter,
  type DiagramMessage,
  describeMessage,
  type Highlight,
  isHighlighted,
  kindGroup,
} from './messages'

/** Arrow labels (Lamport ts, op id, version) are drawn when at most this many arrows are in view. */
const LABELS_MAX = 24
/** While following the clock with nothing else changed, redraw at most this often (~30 Hz). */
const FOLLOW_REDRAW_MS = 33

export interface DiagramCanvasProps {
  members: readonly string[]
  spanMs: number
  /** The right edge's cluster time, or null to follow the cluster's clock. */
  viewTimeMs: number | null
  filter: DiagramFilter
  highlight: Highlight | null
  highlightLanes: ReadonlySet<string>
  selectedSeq: number | null
  onSelect(m: DiagramMessage | null): void
}

function palette(): Palette {
  const cs = getComputedStyle(document.documentElement)
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback
  return {
    text: v('--text', '#1b2233'),
    muted: v('--muted', '#5a6378'),
    border: v('--border', '#d9dee9'),
    danger: v('--danger', '#d93a3f'),
    highlight: '#ff2d95',
  }
}

export function DiagramCanvas(props: DiagramCanvasProps) {
  const wrapRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const propsRef = useRef(props)
  propsRef.current = props
  const arrowsRef = useRef<Arrow[]>([])
  const revRef = useRef(0)
  const capNote = useRef<HTMLSpanElement>(null)
  const [hover, setHover] = useState<{ arrow: Arrow; x: number; y: number } | null>(null)
  const hoverSeq = hover?.arrow.m.seq ?? null
  const hoverRef = useRef<number | null>(null)
  hoverRef.current = hoverSeq
  const theme = useStore((s) => s.theme)
  const height = diagramHeight(props.members.length)

  // biome-ignore lint/correctness/useExhaustiveDependencies: a theme change restarts the loop to re-read its colours
  useEffect(() => {
    const canvas = canvasRef.current
    const wrap = wrapRef.current
    if (!canvas || !wrap) return
    const ctx = canvas.getContext('2d')
    if (!ctx) return
    let width = 0
    let colors = palette()
    let lastKey = ''
    let lastEnd = Number.NaN
    let lastDrawMs = 0
    let draws = 0
    let lastCostMs = 0
    let drawMsSum = 0
    let frame = 0
    const counts = { arrows: '', bands: '', highlighted: '', highlightedReads: '' }
    const setCount = (name: keyof typeof counts, n: number) => {
      const text = String(n)
      if (counts[name] === text) return
      counts[name] = text
      canvas.dataset[name] = text
    }
    const resize = () => {
      width = Math.max(120, Math.floor(wrap.clientWidth))
      const dpr = window.devicePixelRatio || 1
      canvas.width = Math.floor(width * dpr)
      canvas.height = Math.floor(height * dpr)
      canvas.style.width = `${width}px`
      canvas.style.height = `${height}px`
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
      colors = palette()
      lastKey = ''
    }
    const ro = new ResizeObserver(resize)
    ro.observe(wrap)
    resize()
    const paint = () => {
      frame = requestAnimationFrame(paint)
      const p = propsRef.current
      const cluster = useStore.getState().cluster
      const end = p.viewTimeMs ?? cluster?.time.nowMs ?? 0
      const key = `${diagramLog.version}|${revRef.current}|${width}|${hoverRef.current}|${p.selectedSeq}|${p.spanMs}|${p.members.join()}`
      const t = performance.now()
      // Only the clock moved: scroll at most every FOLLOW_REDRAW_MS (the canvas is rasterised on the
      // main thread; every frame doubled its CPU, see ARCHITECTURE.md). Anything else redraws now.
      // The interval also grows with the last draw's cost, so a dense view takes a bounded share.
      const every = Math.max(FOLLOW_REDRAW_MS, 10 * lastCostMs)
      if (key === lastKey && (end === lastEnd || t - lastDrawMs < every)) return
      lastKey = key
      lastEnd = end
      lastDrawMs = t
      const t0 = performance.now()
      const view = viewOf(end, p.spanMs, width)
      const lanes = laneYs(p.members)
      const arrows = visibleArrows((fn) => diagramLog.ring.eachNewestFirst(fn), lanes, view, p.filter)
      arrowsRef.current = arrows
      // The hovered arrow scrolled out of view (or was filtered away): drop its tooltip.
      if (hoverRef.current !== null && !arrows.some((a) => a.m.seq === hoverRef.current)) setHover(null)
      const bands = faultBands(diagramLog.windows, lanes, view)
      const origin = useStore.getState().timeOriginMs
      drawScene(ctx, {
        width,
        height,
        view,
        lanes,
        laneColors: new Map(p.members.map((id) => [id, nodeIdColor(id)])),
        highlightLanes: p.highlightLanes,
        arrows,
        bands,
        ticks: axisTicks(view, origin),
        highlight: p.highlight,
        hoverSeq: hoverRef.current,
        selectedSeq: p.selectedSeq,
        labels: arrows.length <= LABELS_MAX,
        palette: colors,
      })
      // Mean JS time of a draw over the last 32 draws (the UI benchmark reads it).
      lastCostMs = performance.now() - t0
      drawMsSum += lastCostMs
      if (++draws % 32 === 0) {
        canvas.dataset.drawMs = (drawMsSum / 32).toFixed(2)
        drawMsSum = 0
      }
      setCount('arrows', arrows.length)
      const capped = arrows.length >= ARROWS_DRAWN_MAX
      if (capNote.current) capNote.current.hidden = !capped
      setCount('bands', bands.length)
      const hot = p.highlight ? arrows.filter((a) => isHighlighted(a.m, p.highlight)) : []
      setCount('highlighted', hot.length)
      canvas.dataset.endMs = String(Math.round(end))
      // The reads' own messages among them (an e2e reads it: reads carry no op id).
      setCount('highlightedReads', hot.filter((a) => kindGroup(a.m.kind) === 'read').length)
    }
    frame = requestAnimationFrame(paint)
    return () => {
      cancelAnimationFrame(frame)
      ro.disconnect()
    }
    // Everything else reaches the loop through propsRef (and revRef for redraws).
  }, [height, theme])

  // Filters and the highlight are drawn but are objects: a revision in the frame key redraws on change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: these props are the redraw triggers
  useEffect(() => {
    revRef.current++
  }, [props.filter, props.highlight, props.highlightLanes])

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect()
    const x = e.clientX - r.left
    const y = e.clientY - r.top
    const a = nearestArrow(arrowsRef.current, x, y)
    if (!a) {
      if (hover) setHover(null)
      return
    }
    if (a.m.seq !== hoverSeq) setHover({ arrow: a, x, y })
  }
  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect()
    const a = nearestArrow(arrowsRef.current, e.clientX - r.left, e.clientY - r.top)
    props.onSelect(a ? a.m : null)
  }

  return (
    <div className="diagram-wrap" ref={wrapRef}>
      <canvas
        ref={canvasRef}
        className="diagram-canvas"
        data-testid="diagram-canvas"
        role="img"
        aria-label={`Space-time diagram: one lane per node (${props.members.join(', ')}), messages as arrows over time; the list below names them`}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
        onClick={onClick}
      />
      <span className="diagram-cap" ref={capNote} hidden>
        the newest {ARROWS_DRAWN_MAX.toLocaleString('en')} in view are drawn — shorten the span or filter
      </span>
      {hover ? (
        <div
          className="diagram-tip"
          data-testid="diagram-tip"
          role="tooltip"
          style={{
            left: Math.min(hover.x + 10, Math.max(0, (wrapRef.current?.clientWidth ?? 300) - 230)),
            top: hover.y + 12,
          }}
        >
          {describeMessage(hover.arrow.m)}
        </div>
      ) : null}
    </div>
  )
}
