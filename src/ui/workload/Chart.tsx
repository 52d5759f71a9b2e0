/**
 * A small live uPlot line chart; created once, fed with setData when samples change. Its y-axis starts
 * at 0, a legend names every series, the x-axis says which clock it is, and fault windows (start to
 * heal) are shaded behind the lines.
 */
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export interface Series {
  label: string
  color: string
}

/** A shaded span on the x-axis (same unit as the data's x), e.g. a fault window. */
export interface Band {
  x0: number
  /** null: still open (shaded to the right edge). */
  x1: number | null
  label: string
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback
}

/** y from 0 to a little above the largest value (1 when everything is 0). */
export function yRange(max: number | null): [number, number] {
  const m = max !== null && Number.isFinite(max) && max > 0 ? max : 0
  return [0, m > 0 ? m * 1.1 : 1]
}

function drawBands(u: uPlot, bands: readonly Band[]): void {
  if (bands.length === 0) return
  const { left, top, width, height } = u.bbox
  const ctx = u.ctx
  ctx.save()
  const color = cssVar('--danger', '#e5484d')
  for (const b of bands) {
    const a = Math.max(left, u.valToPos(b.x0, 'x', true))
    const z = Math.min(left + width, b.x1 === null ? left + width : u.valToPos(b.x1, 'x', true))
    if (!(z > a)) continue
    ctx.globalAlpha = 0.13
    ctx.fillStyle = color
    ctx.fillRect(a, top, z - a, height)
    ctx.globalAlpha = 0.8
    ctx.fillRect(a, top, Math.max(1, devicePixelRatio), height)
  }
  ctx.restore()
}

export function Chart(props: {
  series: Series[]
  data: number[][]
  height?: number
  testId?: string
  theme: string
  /** Which clock the x-axis is ("seconds since the workload started, page clock"). */
  xLabel: string
  bands?: readonly Band[]
}) {
  const host = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  const bands = useRef<readonly Band[]>(props.bands ?? [])
  const { series, theme } = props
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only when the series or theme change
  useEffect(() => {
    const el = host.current
    if (!el) return
    const axis = {
      stroke: cssVar('--muted', '#888'),
      grid: { stroke: cssVar('--surface-2', '#eee'), width: 1 },
      ticks: { show: false },
    }
    const u = new uPlot(
      {
        width: el.clientWidth || 400,
        height: props.height ?? 120,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false }, y: { range: (_u, _min, max) => yRange(max) } },
        axes: [
          { ...axis, size: 24 },
          { ...axis, size: 44 },
        ],
        series: [
          {},
          ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.6, points: { show: false } })),
        ],
        hooks: { drawClear: [(u) => drawBands(u, bands.current)] },
      },
      props.data as uPlot.AlignedData,
      el,
    )
    plot.current = u
    const ro = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: props.height ?? 120 }))
    ro.observe(el)
    return () => {
      ro.disconnect()
      u.destroy()
      plot.current = null
    }
  }, [series.map((s) => s.label + s.color).join(), theme])
  useEffect(() => {
    bands.current = props.bands ?? []
    const u = plot.current
    if (!u) return
    u.setData(props.data as uPlot.AlignedData)
    // The y range drawn, for tests and the curious (axes are painted on the canvas).
    if (host.current) host.current.dataset.ymin = String(u.scales.y.min ?? '')
  }, [props.data, props.bands])
  const shown = props.bands ?? []
  return (
    <figure className="chart-figure">
      <figcaption className="chart-legend" data-testid={props.testId ? `${props.testId}-legend` : undefined}>
        {series.map((s) => (
          <span key={s.label}>
            <span className="swatch" style={{ background: s.color }} />
            {s.label}
          </span>
        ))}
        {shown.length > 0 && (
          <span title={shown.map((b) => b.label).join('\n')}>
            <span className="band-swatch" />
            fault in effect ({shown.length})
          </span>
        )}
      </figcaption>
      <div ref={host} className="chart" data-testid={props.testId} data-bands={shown.length} />
      <p className="chart-xlabel">x: {props.xLabel}</p>
    </figure>
  )
}
