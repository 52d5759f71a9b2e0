/**
 * The canvas is a pure function of cluster state: zones, DB nodes, replication edges (with traffic,
 * drops and link faults) and dashed hint arrows (owner → stand-in while held, stand-in → owner while draining). Unit-tested.
 */
import { type Edge, type Node, Position } from '@xyflow/react'
import type { NodeSnapshot, Topology } from '../../cluster/types'
import type { LinkRule } from '../../core/faults/linkRules'
import { nodeColor } from '../model/colors'
import { type DisplayStatus, nodeHealth } from '../model/health'
import { type DropFeedback, type DropTarget, dropFeedback } from './dragFeedback'
import { type ChipPlace, type ChipRequest, chipSize, placeChips } from './edgeLabels'
import { busiestHints, type HintEdgeData, type HintPhase, hintChipText, hintEdges } from './hintEdges'
import { cardSize, type Layout, layoutZones, type ZoneId, zoneAt } from './layout'

/** Messages per second on one directed link, measured over the last window. */
export interface LinkTraffic {
  ratePerSec: number
  dropsPerSec: number
}

export interface FlowInput {
  /** Node ids in index order. */
  members: readonly string[]
  snapshots: Readonly<Record<string, NodeSnapshot>>
  topology?: Topology
  zoneOf: Readonly<Record<string, ZoneId>>
  /** Directed link rules keyed `from>to`. */
  links: Readonly<Record<string, LinkRule>>
  /** Directed traffic keyed `from>to`. */
  traffic: Readonly<Record<string, LinkTraffic>>
  selectedEdge?: string | null
  /** Live position of a node being dragged. */
  drag?: { id: string; x: number; y: number } | null
  /** The pointer of the drag is over the kill strip (which is not a flow node). */
  dragOverKill?: boolean
  /** Zones one above another (a canvas taller than wide). */
  stacked?: boolean
  /** Compact cards: from COMPACT_FROM_NODES nodes, or on a narrow canvas where full cards would be unreadable. */
  compact?: boolean
  /** The message the last single step delivered (simulator, paused): its link is highlighted. */
  step?: StepLink | null
  /** Drains that just finished, keyed `holder>owner`: hints delivered (shown a few seconds). */
  hintsDelivered?: Readonly<Record<string, number>>
}

/** A message a single step delivered: sender, receiver, message type. */
export interface StepLink {
  from: string
  to: string
  msg: string
}

export interface DbNodeData extends Record<string, unknown> {
  id: string
  index: number
  color: string
  status: DisplayStatus
  /** Badge word and detail from what each node's failure detector sees (model/health.ts). */
  statusBadge: string
  statusNote: string
  clock: number
  keyCount: number
  /** Merging modes: keys with siblings and CRDT keys (absent in LWW). */
  siblingKeys?: number
  crdtKeys?: number
  memtableBytes: number
  tablesPerLevel: number[]
  hintsHeld: number
  backlog: number
  clockSkewMs: number
  zone: ZoneId
  compact: boolean
  warning?: string
  /** Why a failed node could not start: its coded error. */
  failure?: { code: string; message: string }
  /** Read cache hits and misses, when the node has a cache (cacheSize > 0). */
  cache?: { hits: number; misses: number }
  /** The adaptive batching windows now (ms) and their bound, when batching is on (batchWindowMsMax > 0). */
  batching?: { commitMs: number; sendMs: number; maxMs: number }
}

export interface ZoneNodeData extends Record<string, unknown> {
  label: string
  zone: ZoneId
  count: number
  stacked: boolean
  /** A dragged node is over this zone: what releasing it would do. */
  dropCaption?: string
}

/** A label chip: its lines, its size and where it sits on the edge. */
export interface EdgeChip {
  lines: string[]
  w: number
  h: number
  place: ChipPlace
}

export interface LinkDir {
  from: string
  to: string
  inTopology: boolean
  ratePerSec: number
  dropsPerSec: number
  rule?: LinkRule
  /** Short fault summary, e.g. "cut", "120±20ms", "loss 30%". */
  faultLabel: string
}

export interface LinkEdgeData extends Record<string, unknown> {
  a: string
  b: string
  ab: LinkDir
  ba: LinkDir
  partitioned: boolean
  selected: boolean
  /** The last single step delivered a message over this link (simulator, paused). */
  step?: StepLink
  /** Large cluster: no per-edge rate labels (only fault labels), to keep the canvas readable and cheap. */
  dense: boolean
  /** Half the card size, to end the line (and its arrowheads) at the card border. */
  cardHalf: { w: number; h: number }
  chip?: EdgeChip
}

export type FlowNode = Node<DbNodeData, 'db'> | Node<ZoneNodeData, 'zone'>
export type FlowEdge = Edge<LinkEdgeData, 'link'> | Edge<HintEdgeData, 'hint'>
export type { HintEdgeData, HintPhase }

export const COMPACT_FROM_NODES = 13

/** Whether the cards are drawn compact (the canvas decides on a narrow screen; see viewport.ts). */
export function isCompact(input: Pick<FlowInput, 'members' | 'compact'>): boolean {
  return input.compact ?? input.members.length >= COMPACT_FROM_NODES
}
/** Id of the element that tells a screen reader what the keys do on a focused node. */
export const NODE_HELP_ID = 'db-node-keyboard-help'
/**
 * From this size an all-to-all cluster draws only its busiest links (at most BUSY_LINKS_PER_NODE per
 * node; heartbeats make every link "busy") plus faulted or selected ones: 16 nodes would otherwise
 * draw 120 lines (32 nodes: 496), which hides everything and costs frame time.
 */
export const SPARSE_EDGES_FROM_NODES = COMPACT_FROM_NODES
export const BUSY_LINKS_PER_NODE = 2

/** Summarises a link rule for an edge label ("" when the link is clean). */
export function faultLabel(rule: LinkRule | undefined): string {
  if (!rule) return ''
  const parts: string[] = []
  if (rule.cut) parts.push('cut')
  if (rule.latencyMs || rule.jitterMs)
    parts.push(`${rule.latencyMs ?? 0}${rule.jitterMs ? `±${rule.jitterMs}` : ''}ms`)
  if (rule.lossRate) parts.push(`loss ${Math.round(rule.lossRate * 100)}%`)
  if (rule.duplicateRate) parts.push(`dup ${Math.round(rule.duplicateRate * 100)}%`)
  return parts.join(' ')
}

/** Directed links of the replication topology (all-to-all when undefined). */
export function topologyLinks(members: readonly string[], topology?: Topology): Set<string> {
  const out = new Set<string>()
  if (!topology) {
    for (const a of members) for (const b of members) if (a !== b) out.add(`${a}>${b}`)
    return out
  }
  for (const [from, tos] of Object.entries(topology)) {
    const a = members[Number(from)]
    for (const t of tos) {
      const b = members[t]
      if (a && b && a !== b) out.add(`${a}>${b}`)
    }
  }
  return out
}

function pairId(a: string, b: string): string {
  return `link:${a}~${b}`
}

/** Where the node being dragged would land, from its live centre or the kill strip under the pointer. */
export function dragTarget(input: FlowInput, layout: Pick<Layout, 'zones'>): DropFeedback | null {
  const drag = input.drag
  if (!drag) return null
  const { w, h } = cardSize(isCompact(input))
  const target: DropTarget = input.dragOverKill
    ? 'kill'
    : zoneAt({ x: drag.x + w / 2, y: drag.y + h / 2 }, layout)
  return dropFeedback(
    drag.id,
    target,
    input.members,
    input.zoneOf,
    nodeHealth(drag.id, input.snapshots).status,
  )
}

/** The three zones and one node per member. */
export function deriveNodes(input: FlowInput): FlowNode[] {
  const { members, snapshots, zoneOf } = input
  const compact = isCompact(input)
  const layout = layoutZones(members, zoneOf, compact, input.stacked)
  const drop = dragTarget(input, layout)
  const nodes: FlowNode[] = []
  for (const z of layout.zones) {
    const count = members.filter((id) => (zoneOf[id] ?? 'A') === z.id).length
    nodes.push(zoneNode(z.id, z, count, !!input.stacked, drop?.target === z.id ? drop.caption : undefined))
  }
  const { w, h } = cardSize(compact)
  // Fixed size and a centre handle declared up front: edges run centre to centre without measuring.
  const handles = (['source', 'target'] as const).map((type) => ({
    type,
    position: Position.Top,
    x: w / 2 - 0.5,
    y: h / 2,
    width: 1,
    height: 1,
  }))
  members.forEach((id, index) => {
    const s = snapshots[id]
    const drag = input.drag?.id === id ? input.drag : null
    const health = nodeHealth(id, snapshots)
    const zone = zoneOf[id] ?? 'A'
    nodes.push({
      id,
      type: 'db',
      position: drag ? { x: drag.x, y: drag.y } : layout.positions[id],
      width: w,
      height: h,
      handles,
      zIndex: 10,
      ariaLabel: `${id}, ${health.badge}${health.note ? ` (${health.note})` : ''}, zone ${zone}`,
      domAttributes: { 'aria-describedby': NODE_HELP_ID },
      data: {
        id,
        index,
        color: nodeColor(index),
        status: health.status,
        statusBadge: health.badge,
        statusNote: health.note,
        clock: s?.clock ?? 0,
        keyCount: s?.keyCount ?? 0,
        siblingKeys: s?.siblingKeys,
        crdtKeys: s?.crdtKeys,
        memtableBytes: s?.memtableBytes ?? 0,
        tablesPerLevel: s?.tablesPerLevel ?? [],
        hintsHeld: s?.hintsHeld ?? 0,
        backlog: s ? sumValues(s.replogByPeer) : 0,
        clockSkewMs: s?.clockSkewMs ?? 0,
        zone,
        compact,
        warning: s?.warning,
        cache: s?.cache ? { hits: s.cache.hits, misses: s.cache.misses } : undefined,
        batching: s?.batching?.windowMsMax
          ? {
              commitMs: s.batching.commitWindowMs,
              sendMs: s.batching.sendWindowMs,
              maxMs: s.batching.windowMsMax,
            }
          : undefined,
        failure:
          s?.status === 'failed' && s.failure
            ? { code: s.failure.code, message: s.failure.message }
            : undefined,
      },
    })
  })
  return nodes
}

/** Nodes and edges for React Flow. */
export function deriveFlow(input: FlowInput): { nodes: FlowNode[]; edges: FlowEdge[] } {
  return { nodes: deriveNodes(input), edges: deriveEdges(input) }
}

/**
 * Replication links plus hint arrows (depends on snapshots only through hintsByTarget), with their
 * label chips placed clear of the cards and of each other.
 */
export function deriveEdges(input: FlowInput): FlowEdge[] {
  const { w, h } = cardSize(isCompact(input))
  const cardHalf = { w: w / 2, h: h / 2 }
  const edges = [
    ...linkEdges(input),
    ...busiestHints(
      hintEdges(input.members, input.snapshots, cardHalf, input.hintsDelivered),
      input.members.length,
      input.members.length >= SPARSE_EDGES_FROM_NODES,
    ),
  ]
  placeEdgeChips(edges, input)
  return edges
}

/** Chip text of a link: its rate (when shown) and one line per faulted direction. */
export function linkChipLines(
  d: Pick<LinkEdgeData, 'a' | 'b' | 'ab' | 'ba' | 'dense' | 'selected' | 'step'>,
): string[] {
  const total = d.ab.ratePerSec + d.ba.ratePerSec
  const lines: string[] = []
  if (d.step) lines.push(`step: ${d.step.msg} ${d.step.from}→${d.step.to}`)
  if (total >= 0.5 && (!d.dense || d.selected)) lines.push(rateText(total))
  for (const x of [d.ab, d.ba]) {
    const parts: string[] = []
    if (x.faultLabel) parts.push(x.faultLabel)
    if (x.dropsPerSec > 0) parts.push(`✕${rateText(x.dropsPerSec)}`)
    if (parts.length) lines.push(`${x.from}→${x.to} ${parts.join(' ')}`)
  }
  return lines
}

function rateText(r: number): string {
  return r >= 10 ? `${Math.round(r)}/s` : `${r.toFixed(1)}/s`
}

function placeEdgeChips(edges: FlowEdge[], input: FlowInput): void {
  const compact = isCompact(input)
  const { w, h } = cardSize(compact)
  const layout = layoutZones(input.members, input.zoneOf, compact, input.stacked)
  const centre = (id: string) => ({ x: layout.positions[id].x + w / 2, y: layout.positions[id].y + h / 2 })
  const cards = Object.values(layout.positions).map((p) => ({ x: p.x, y: p.y, w, h }))
  // Zone titles and the empty zones' drop hints stay readable too.
  const occupied = new Set(input.members.map((id) => input.zoneOf[id] ?? 'A'))
  for (const z of layout.zones)
    cards.push(
      occupied.has(z.id) ? { x: z.x, y: z.y, w: z.w, h: ZONE_TITLE_H } : { x: z.x, y: z.y, w: z.w, h: z.h },
    )
  const requests: (ChipRequest & { lines: string[]; edge: FlowEdge; rank: number })[] = []
  for (const e of edges) {
    const lines = e.type === 'link' ? linkChipLines(e.data!) : [hintChipText(e.data as HintEdgeData)]
    if (lines.length === 0) continue
    const size = chipSize(lines)
    const faulted = e.type === 'link' && (lines.some((l) => l.includes('→')) || !!e.data!.step)
    requests.push({
      id: e.id,
      a: centre(e.source),
      b: centre(e.target),
      bend: e.type === 'hint' ? HINT_BEND : 0,
      ...size,
      lines,
      edge: e,
      rank: faulted ? 0 : e.type === 'hint' ? 1 : 2,
    })
  }
  requests.sort((x, y) => x.rank - y.rank)
  const places = placeChips(requests, cards)
  for (const r of requests) {
    const chip: EdgeChip = { lines: r.lines, w: r.w, h: r.h, place: places[r.id] ?? { t: 0.5, off: 0 } }
    ;(r.edge.data as LinkEdgeData | HintEdgeData).chip = chip
  }
}

/** Height of a zone's title strip, kept clear of label chips. */
const ZONE_TITLE_H = 36

/** How far the hint arrow bows away from the replication link (fraction of its length). */
export const HINT_BEND = 0.18

function zoneNode(
  id: ZoneId,
  r: { x: number; y: number; w: number; h: number },
  count: number,
  stacked: boolean,
  dropCaption: string | undefined,
): FlowNode {
  return {
    id: `zone:${id}`,
    type: 'zone',
    position: { x: r.x, y: r.y },
    data: dropCaption
      ? { label: `Zone ${id}`, zone: id, count, stacked, dropCaption }
      : { label: `Zone ${id}`, zone: id, count, stacked },
    style: { width: r.w, height: r.h },
    width: r.w,
    height: r.h,
    draggable: false,
    selectable: false,
    focusable: false,
    zIndex: 0,
  }
}

function sumValues(r: Readonly<Record<string, number>>): number {
  let s = 0
  for (const v of Object.values(r)) s += v
  return s
}

function linkEdges(input: FlowInput): FlowEdge[] {
  const { members, zoneOf, links, traffic } = input
  const topo = topologyLinks(members, input.topology)
  const dense = members.length >= SPARSE_EDGES_FROM_NODES
  // A custom topology is the point of the picture: keep its links even when idle.
  const hideIdle = dense && input.topology === undefined
  const busyKept = hideIdle ? busiestPairs(members, traffic, BUSY_LINKS_PER_NODE * members.length) : null
  const { w, h } = cardSize(isCompact(input))
  const cardHalf = { w: w / 2, h: h / 2 }
  const edges: FlowEdge[] = []
  const dir = (from: string, to: string): LinkDir => {
    const k = `${from}>${to}`
    const t = traffic[k]
    return {
      from,
      to,
      inTopology: topo.has(k),
      ratePerSec: t?.ratePerSec ?? 0,
      dropsPerSec: t?.dropsPerSec ?? 0,
      rule: links[k],
      faultLabel: faultLabel(links[k]),
    }
  }
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const a = members[i]
      const b = members[j]
      const ab = dir(a, b)
      const ba = dir(b, a)
      const busy = ab.ratePerSec + ba.ratePerSec + ab.dropsPerSec + ba.dropsPerSec > 0
      const faulted = ab.faultLabel !== '' || ba.faultLabel !== ''
      const id = pairId(a, b)
      const selected = input.selectedEdge === id
      const st = input.step
      const step = st && ((st.from === a && st.to === b) || (st.from === b && st.to === a)) ? st : undefined
      if (!ab.inTopology && !ba.inTopology && !busy && !faulted && !step) continue
      if (busyKept && !faulted && !selected && !step && !busyKept.has(id)) continue
      edges.push({
        id,
        type: 'link',
        source: a,
        target: b,
        zIndex: 1,
        ariaLabel: `Link ${a} – ${b}${faulted ? ' (faulted)' : ''}`,
        data: {
          a,
          b,
          ab,
          ba,
          partitioned: (zoneOf[a] ?? 'A') !== (zoneOf[b] ?? 'A'),
          selected,
          ...(step ? { step } : {}),
          dense,
          cardHalf,
        },
      })
    }
  }
  return edges
}

/** Ids of the `max` pairs with the most traffic (both directions, messages and drops). */
function busiestPairs(
  members: readonly string[],
  traffic: Readonly<Record<string, LinkTraffic>>,
  max: number,
): Set<string> {
  const present = new Set(members)
  const byPair = new Map<string, number>()
  for (const [k, t] of Object.entries(traffic)) {
    const [from, to] = k.split('>')
    if (!present.has(from) || !present.has(to)) continue
    const rate = t.ratePerSec + t.dropsPerSec
    if (rate <= 0) continue
    const ia = members.indexOf(from)
    const ib = members.indexOf(to)
    const id = ia < ib ? pairId(from, to) : pairId(to, from)
    byPair.set(id, (byPair.get(id) ?? 0) + rate)
  }
  return new Set(
    [...byPair.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, max)
      .map(([id]) => id),
  )
}
