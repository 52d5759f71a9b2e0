/**
 * Marks the nodes and links of the selected anomaly on the canvas: a class on each node card and
 * link edge it touched (pure; the derived arrays are returned unchanged when nothing is selected).
 */
import type { SelectedAnomaly } from '../store/uiSlice'
import type { FlowEdge, FlowNode } from './deriveFlow'

export const HL_NODE_CLASS = 'anomaly-hl'
export const HL_LINK_CLASS = 'anomaly-hl-link'

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`
}

/** Nodes with the anomaly's class added (db cards only). */
export function highlightNodes(nodes: FlowNode[], sel: SelectedAnomaly | null): FlowNode[] {
  if (!sel || sel.nodes.length === 0) return nodes
  const on = new Set(sel.nodes)
  return nodes.map((n) =>
    n.type === 'db' && on.has(n.id)
      ? { ...n, className: [n.className, HL_NODE_CLASS].filter(Boolean).join(' ') }
      : n,
  )
}

/** Link edges with the anomaly's class added (a link the canvas does not draw stays undrawn; its nodes are marked). */
export function highlightEdges(edges: FlowEdge[], sel: SelectedAnomaly | null): FlowEdge[] {
  if (!sel || sel.links.length === 0) return edges
  const want = new Set(sel.links.map(([a, b]) => pairKey(a, b)))
  return edges.map((e) => {
    if (e.type !== 'link' || !want.has(pairKey(e.source, e.target))) return e
    return { ...e, className: [e.className, HL_LINK_CLASS].filter(Boolean).join(' ') }
  })
}
