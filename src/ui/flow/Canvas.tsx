/** The topology canvas: zones, nodes, links, hint arrows; drag between zones to partition, to the kill area to kill. */
import {
  Background,
  Controls,
  type EdgeMouseHandler,
  type EdgeTypes,
  type NodeChange,
  type NodeTypes,
  type OnNodeDrag,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react'
import { useCallback, useEffect, useMemo, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { moveToZone, nodeAction } from '../actions'
import { useStore } from '../store/store'
import { DbNodeView } from './DbNodeView'
import { COMPACT_FROM_NODES, deriveEdges, deriveNodes, type FlowEdge, type FlowNode } from './deriveFlow'
import { HintEdge } from './HintEdge'
import { LinkEdge } from './LinkEdge'
import { layoutZones, NODE_H, NODE_H_COMPACT, NODE_W, NODE_W_COMPACT, zoneAt } from './layout'
import { PulseLayer } from './PulseLayer'
import { reuseEqual } from './reuse'
import { ZoneNodeView } from './ZoneNodeView'

const nodeTypes: NodeTypes = { db: DbNodeView, zone: ZoneNodeView } as unknown as NodeTypes
const edgeTypes: EdgeTypes = { link: LinkEdge, hint: HintEdge } as unknown as EdgeTypes

function useFlowInput() {
  return useStore(
    useShallow((s) => ({
      members: s.members,
      snapshots: s.snapshots,
      topology: s.topology,
      zoneOf: s.zoneOf,
      links: s.links,
      traffic: s.traffic,
      selectedEdge: s.selectedEdge,
      drag: s.drag,
    })),
  )
}

/** Hint targets as one primitive string, so edges re-derive only when hints change. */
function useHintKey(): string {
  return useStore((s) =>
    s.members
      .map((id) => {
        const h = s.snapshots[id]?.hintsByTarget
        return h
          ? Object.entries(h)
              .map(([t, n]) => `${id}>${t}=${n}`)
              .join(',')
          : ''
      })
      .join(';'),
  )
}

export function Canvas() {
  const input = useFlowInput()
  const hintKey = useHintKey()
  const generation = useStore((s) => s.generation)
  const prevNodes = useRef<FlowNode[]>([])
  const prevEdges = useRef<FlowEdge[]>([])
  const nodes = useMemo(
    () => (prevNodes.current = reuseEqual(prevNodes.current, deriveNodes(input))),
    [input],
  )
  // biome-ignore lint/correctness/useExhaustiveDependencies: snapshots reach the edges only through hintKey
  const edges = useMemo(
    () => (prevEdges.current = reuseEqual(prevEdges.current, deriveEdges(input))),
    [input.members, input.topology, input.zoneOf, input.links, input.traffic, input.selectedEdge, hintKey],
  )
  const centers = useMemo(() => {
    const out: Record<string, { x: number; y: number }> = {}
    for (const n of nodes) {
      if (n.type !== 'db') continue
      const w = n.data.compact ? NODE_W_COMPACT : NODE_W
      const h = n.data.compact ? NODE_H_COMPACT : NODE_H
      out[n.id] = { x: n.position.x + w / 2, y: n.position.y + h / 2 }
    }
    return out
  }, [nodes])
  const { fitView } = useReactFlow()
  const memberCount = input.members.length
  // biome-ignore lint/correctness/useExhaustiveDependencies: refit when the cluster or its size changes
  useEffect(() => {
    const t = setTimeout(() => void fitView({ padding: 0.12, duration: 300 }), 60)
    return () => clearTimeout(t)
  }, [generation, memberCount, fitView])

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    for (const c of changes) {
      if (c.type === 'position' && c.position && c.dragging)
        useStore.getState().setDrag({ id: c.id, x: c.position.x, y: c.position.y })
    }
  }, [])

  const onNodeDragStop: OnNodeDrag<FlowNode> = useCallback((_e, node) => {
    const s = useStore.getState()
    s.setDrag(null)
    if (node.type !== 'db') return
    const compact = s.members.length >= COMPACT_FROM_NODES
    const w = compact ? NODE_W_COMPACT : NODE_W
    const h = compact ? NODE_H_COMPACT : NODE_H
    const layout = layoutZones(s.members, s.zoneOf, compact)
    const target = zoneAt({ x: node.position.x + w / 2, y: node.position.y + h / 2 }, layout)
    if (target === 'kill') void nodeAction(node.id, 'kill')
    else if (target && target !== (s.zoneOf[node.id] ?? 'A')) void moveToZone(node.id, target)
  }, [])

  const onEdgeClick: EdgeMouseHandler<FlowEdge> = useCallback((_e, edge) => {
    if (edge.type === 'link') useStore.getState().selectEdge(edge.id)
  }, [])

  return (
    <div className="canvas" data-testid="canvas">
      <svg className="svg-defs" aria-hidden="true">
        <defs>
          <marker
            id="hint-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className="hint-arrow-head" />
          </marker>
        </defs>
      </svg>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onEdgeClick={onEdgeClick}
        onPaneClick={() => useStore.getState().selectEdge(null)}
        nodesConnectable={false}
        elementsSelectable
        minZoom={0.1}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        fitView
        fitViewOptions={{ padding: 0.12 }}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
        <PulseLayer centers={centers} />
      </ReactFlow>
    </div>
  )
}
