import { describe, expect, it } from 'vitest'
import { HL_LINK_CLASS, HL_NODE_CLASS, highlightEdges, highlightNodes } from './anomalyHighlight'
import type { FlowEdge, FlowNode } from './deriveFlow'

const node = (id: string, type: 'db' | 'zone' = 'db') =>
  ({ id, type, position: { x: 0, y: 0 }, data: {} }) as unknown as FlowNode
const link = (a: string, b: string) =>
  ({ id: `link:${a}~${b}`, type: 'link', source: a, target: b, data: {} }) as unknown as FlowEdge

describe('anomaly highlight on the canvas', () => {
  const nodes = [node('node_0'), node('node_1'), node('node_2'), node('zone-A', 'zone')]
  const edges = [link('node_0', 'node_1'), link('node_1', 'node_2'), link('node_0', 'node_2')]

  it('returns the same arrays when nothing is selected', () => {
    expect(highlightNodes(nodes, null)).toBe(nodes)
    expect(highlightEdges(edges, null)).toBe(edges)
  })

  it("marks the anomaly's db nodes and its links in either direction, nothing else", () => {
    const sel = {
      nodes: ['node_0', 'node_2', 'zone-A'],
      links: [['node_2', 'node_0']] as [string, string][],
      opIds: [],
    }
    const n = highlightNodes(nodes, sel)
    expect(n.filter((x) => x.className === HL_NODE_CLASS).map((x) => x.id)).toEqual(['node_0', 'node_2'])
    expect(n[1]).toBe(nodes[1])
    const e = highlightEdges(edges, sel)
    expect(e.filter((x) => x.className === HL_LINK_CLASS).map((x) => x.id)).toEqual(['link:node_0~node_2'])
    expect(e[0]).toBe(edges[0])
  })
})
