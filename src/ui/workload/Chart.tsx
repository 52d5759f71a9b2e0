/** A small live uPlot line chart; created once, fed with setData when samples change. */
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export interface Series {
  label: string
  color: string
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback
}

export function Chart(props: {
  series: Series[]
  data: number[][]
  height?: number
  testId?: string
  theme: string
}) {
  const host = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
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
        scales: { x: { time: false } },
        axes: [
          { ...axis, size: 24 },
          { ...axis, size: 44 },
        ],
        series: [
          {},
          ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.6, points: { show: false } })),
        ],
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
    plot.current?.setData(props.data as uPlot.AlignedData)
  }, [props.data])
  return <div ref={host} className="chart" data-testid={props.testId} />
}
