/** The topology canvas: zones, nodes, links, hint arrows; drag between zones to partition, to the kill strip to kill. */
import {
  Background,
  Controls,
  type EdgeMouseHandler,
  type EdgeTypes,
  type NodeChange,
  type NodeTypes,
  type OnNodeDrag,
  ReactFlow,
  useStore as useFlowStore,
  useReactFlow,
} from '@xyflow/react'
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { moveToZone, nodeAction } from '../actions'
import { useStore } from '../store/store'
import { highlightEdges, highlightNodes } from './anomalyHighlight'
import { compactCards } from './cardMode'
import { DbNodeView } from './DbNodeView'
import {
  deriveEdges,
  deriveNodes,
  dragTarget,
  type FlowEdge,
  type FlowNode,
  NODE_HELP_ID,
} from './deriveFlow'
import { outsideDropNotice } from './dragFeedback'
import { HintEdge } from './HintEdge'
import { KillStrip, pointerOverKill } from './KillStrip'
import { LinkEdge } from './LinkEdge'
import { cardSize, layoutZones, zoneAt } from './layout'
import { PulseLayer } from './PulseLayer'
import { reuseEqual } from './reuse'
import { SvgDefs } from './SvgDefs'
import { parseDrainKey, useRecentDrains } from './useRecentDrains'
import { boundsOf, fitViewport } from './viewport'
import { ZoneNodeView } from './ZoneNodeView'

const nodeTypes: NodeTypes = { db: DbNodeView, zone: ZoneNodeView } as unknown as NodeTypes
const edgeTypes: EdgeTypes = { link: LinkEdge, hint: HintEdge } as unknown as EdgeTypes
/** Room the fitted view leaves at the bottom for the kill strip, so no node hides under it. */
const FIT_PAD = { top: 44, left: 16, right: 16, bottom: 92 }
/** A phone's canvas has no height to spare: the drag caption may cover the top of a zone there. */
const FIT_PAD_STACKED = { top: 8, left: 8, right: 8, bottom: 80 }
const FIT_ZOOM_MAX = 1.25
const px = (p: typeof FIT_PAD) => ({
  top: `${p.top}px` as const,
  left: `${p.left}px` as const,
  right: `${p.right}px` as const,
  bottom: `${p.bottom}px` as const,
})
const FIT_OPTIONS = { padding: px(FIT_PAD), maxZoom: FIT_ZOOM_MAX } as const
const FIT_OPTIONS_STACKED = { padding: px(FIT_PAD_STACKED), maxZoom: FIT_ZOOM_MAX } as const
const NODE_HELP =
  'Press Enter or Space to open this node’s actions: move it to another zone (a partition), kill, restart, pause, clock skew. Or drag it with the mouse.'
const ARIA_LABELS = {
  'node.a11yDescription.default': NODE_HELP,
  'edge.a11yDescription.default':
    'Press Enter or Space to open this link’s panel: latency, jitter, loss, duplication or a cut, per direction.',
}
const NOTICE_MS = 7000

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

/** The message the last single step delivered, as one primitive ("from>to>msg"; '' when none or running). */
function useStepKey(): string {
  return useStore((s) => {
    const e = s.timePaused ? s.lastStep?.events.find((x) => x.from && x.to) : undefined
    return e ? `${e.from}>${e.to}>${e.msg ?? 'message'}` : ''
  })
}

/** Hint targets (and whether each holder sees its owner up) as one primitive string, so edges re-derive only when hints change. */
function useHintKey(): string {
  return useStore((s) =>
    s.members
      .map((id) => {
        const snap = s.snapshots[id]
        const h = snap?.hintsByTarget
        // The holder's view of the owner too: it decides whether the arrow is holding or draining.
        return h
          ? Object.entries(h)
              .map(([t, n]) => `${id}>${t}=${n}${snap.peerViews[t] === 'up' ? '^' : ''}`)
              .join(',')
          : ''
      })
      .join(';'),
  )
}

/** Enter or Space on a focused node opens its menu; on a focused link, its panel (delegated from the canvas). */
function onCanvasKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
  if (e.key !== 'Enter' && e.key !== ' ') return
  const el = e.target as HTMLElement
  const id = el.getAttribute('data-id')
  if (!id) return
  if (el.classList.contains('react-flow__node-db')) {
    e.preventDefault()
    useStore.getState().openMenu(id)
  } else if (el.classList.contains('react-flow__edge') && id.startsWith('link:')) {
    e.preventDefault()
    useStore.getState().selectEdge(id)
  }
}

export function Canvas() {
  const base = useFlowInput()
  const [overKill, setOverKill] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  // A canvas taller than wide (a phone) stacks the zones, so the fitted cards are drawn larger.
  const stacked = useFlowStore((s) => s.width > 0 && s.width < s.height)
  const stackedRef = useRef(stacked)
  stackedRef.current = stacked
  const canvasW = useFlowStore((s) => s.width)
  const canvasH = useFlowStore((s) => s.height)
  const compact = compactCards(
    base.members,
    base.zoneOf,
    stacked,
    { w: canvasW, h: canvasH },
    stacked ? FIT_PAD_STACKED : FIT_PAD,
    FIT_ZOOM_MAX,
  )
  const compactRef = useRef(compact)
  compactRef.current = compact
  const stepKey = useStepKey()
  const drainKey = useRecentDrains()
  const input = useMemo(() => {
    const [from, to, msg] = stepKey.split('>')
    const step = stepKey ? { from, to, msg } : null
    const hintsDelivered = parseDrainKey(drainKey)
    return { ...base, dragOverKill: overKill && !!base.drag, stacked, compact, step, hintsDelivered }
  }, [base, overKill, stacked, compact, stepKey, drainKey])
  const hintKey = useHintKey()
  const generation = useStore((s) => s.generation)
  const prevNodes = useRef<FlowNode[]>([])
  const prevEdges = useRef<FlowEdge[]>([])
  const killRef = useRef<HTMLDivElement>(null)
  const anomaly = useStore((s) => s.selectedAnomaly)
  const nodes = useMemo(
    () => (prevNodes.current = reuseEqual(prevNodes.current, highlightNodes(deriveNodes(input), anomaly))),
    [input, anomaly],
  )
  // biome-ignore lint/correctness/useExhaustiveDependencies: snapshots reach the edges only through hintKey
  const edges = useMemo(
    () => (prevEdges.current = reuseEqual(prevEdges.current, highlightEdges(deriveEdges(input), anomaly))),
    [
      anomaly,
      input.members,
      input.topology,
      input.zoneOf,
      input.links,
      input.traffic,
      input.selectedEdge,
      input.stacked,
      input.compact,
      input.step,
      input.hintsDelivered,
      hintKey,
    ],
  )
  const drop = useMemo(
    () =>
      input.drag
        ? dragTarget(input, layoutZones(input.members, input.zoneOf, input.compact, input.stacked))
        : null,
    [input],
  )
  const centers = useMemo(() => {
    const out: Record<string, { x: number; y: number }> = {}
    for (const n of nodes) {
      if (n.type !== 'db') continue
      const { w, h } = cardSize(n.data.compact)
      out[n.id] = { x: n.position.x + w / 2, y: n.position.y + h / 2 }
    }
    return out
  }, [nodes])
  const { setViewport } = useReactFlow()
  // A primitive: the store hands out a new zoneOf object on many updates, and a refit on each would
  // undo the visitor's own panning (and follow a node being dragged).
  const zones = layoutZones(input.members, input.zoneOf, compact, stacked).zones
  const b = boundsOf(zones)
  const boundsKey = `${b.x},${b.y},${b.w},${b.h}`
  // Refit when the cluster, the drawing's size or the canvas's size change; never mid-drag. Once the
  // visitor has panned or zoomed, a change of the canvas's size alone (the faults strip appearing)
  // keeps their view; a new cluster or a new drawing refits.
  const userMoved = useRef(false)
  const fittedFor = useRef('')
  // biome-ignore lint/correctness/useExhaustiveDependencies: boundsKey stands for the bounds
  useEffect(() => {
    if (canvasW <= 0 || canvasH <= 0 || useStore.getState().drag) return
    const drawing = `${generation}|${boundsKey}|${stacked}`
    if (drawing !== fittedFor.current) userMoved.current = false
    else if (userMoved.current) return
    fittedFor.current = drawing
    const v = fitViewport(b, { w: canvasW, h: canvasH }, stacked ? FIT_PAD_STACKED : FIT_PAD, FIT_ZOOM_MAX)
    void setViewport(v, { duration: 250 })
  }, [generation, boundsKey, canvasW, canvasH, stacked, setViewport])
  useEffect(() => {
    if (!notice) return
    const t = setTimeout(() => setNotice(null), NOTICE_MS)
    return () => clearTimeout(t)
  }, [notice])

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    for (const c of changes) {
      if (c.type === 'position' && c.position && c.dragging)
        useStore.getState().setDrag({ id: c.id, x: c.position.x, y: c.position.y })
    }
  }, [])

  const onNodeDrag: OnNodeDrag<FlowNode> = useCallback((e) => {
    setOverKill(pointerOverKill(killRef.current, e))
  }, [])

  const onNodeDragStop: OnNodeDrag<FlowNode> = useCallback((e, node) => {
    const s = useStore.getState()
    s.setDrag(null)
    setOverKill(false)
    if (node.type !== 'db') return
    if (pointerOverKill(killRef.current, e)) {
      void nodeAction(node.id, 'kill')
      return
    }
    const { w, h } = cardSize(compactRef.current)
    const layout = layoutZones(s.members, s.zoneOf, compactRef.current, stackedRef.current)
    const target = zoneAt({ x: node.position.x + w / 2, y: node.position.y + h / 2 }, layout)
    if (target === null) setNotice(outsideDropNotice(node.id, s.zoneOf))
    else if (target !== (s.zoneOf[node.id] ?? 'A')) void moveToZone(node.id, target)
  }, [])

  const onEdgeClick: EdgeMouseHandler<FlowEdge> = useCallback((_e, edge) => {
    if (edge.type === 'link') useStore.getState().selectEdge(edge.id)
  }, [])

  return (
    <div className="canvas" data-testid="canvas" onKeyDown={onCanvasKeyDown}>
      <SvgDefs />
      <p id={NODE_HELP_ID} hidden>
        {NODE_HELP}
      </p>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeDrag={onNodeDrag}
        onNodeDragStop={onNodeDragStop}
        onEdgeClick={onEdgeClick}
        onPaneClick={() => useStore.getState().selectEdge(null)}
        onMoveEnd={(event) => {
          // Only the visitor's own pan or zoom carries an event; our setViewport does not.
          if (event) userMoved.current = true
        }}
        nodesConnectable={false}
        elementsSelectable
        disableKeyboardA11y
        ariaLabelConfig={ARIA_LABELS}
        minZoom={0.1}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        fitView
        fitViewOptions={stacked ? FIT_OPTIONS_STACKED : FIT_OPTIONS}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} position="top-right" />
        <PulseLayer centers={centers} />
      </ReactFlow>
      <KillStrip
        ref={killRef}
        caption={drop?.target === 'kill' ? drop.caption : undefined}
        dragging={!!input.drag}
      />
      {drop && (
        <p
          className={`drag-caption${drop.effect === 'none' ? ' idle' : ''}`}
          data-testid="drag-caption"
          role="status"
        >
          {drop.caption}
        </p>
      )}
      {notice && !drop && (
        <p className="drop-notice" data-testid="drop-notice" role="status">
          {notice}
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </p>
      )}
    </div>
  )
}
