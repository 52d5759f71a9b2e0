/**
 * The canvas is a pure function of cluster state: zones, DB nodes, replication edges (with traffic,
 * drops and link faults) and dashed hint arrows (holder → intended owner). Unit-tested.
 */
import { type Edge, type Node, Position } from '@xyflow/react'
import type { NodeSnapshot, Topology } from '../../cluster/types'
import type { LinkRule } from '../../core/faults/linkRules'
import { nodeColor } from '../model/colors'
import { type DisplayStatus, nodeHealth } from '../model/health'
import { layoutZones, NODE_H, NODE_H_COMPACT, NODE_W, NODE_W_COMPACT, type ZoneId } from './layout'

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
}

export interface ZoneNodeData extends Record<string, unknown> {
  label: string
  kind: 'zone' | 'kill'
  count: number
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
  /** Large cluster: no per-edge rate labels (only fault labels), to keep the canvas readable and cheap. */
  dense: boolean
}

export interface HintEdgeData extends Record<string, unknown> {
  count: number
}

export type FlowNode = Node<DbNodeData, 'db'> | Node<ZoneNodeData, 'zone'>
export type FlowEdge = Edge<LinkEdgeData, 'link'> | Edge<HintEdgeData, 'hint'>

export const COMPACT_FROM_NODES = 13
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

/** Zones, the kill area and one node per member. */
export function deriveNodes(input: FlowInput): FlowNode[] {
  const { members, snapshots, zoneOf } = input
  const compact = members.length >= COMPACT_FROM_NODES
  const layout = layoutZones(members, zoneOf, compact)
  const nodes: FlowNode[] = []
  for (const z of layout.zones) {
    const count = members.filter((id) => (zoneOf[id] ?? 'A') === z.id).length
    nodes.push(zoneNode(z.id, `Zone ${z.id}`, 'zone', z, count))
  }
  nodes.push(zoneNode('kill', 'Kill area — drop a node here', 'kill', layout.kill, 0))
  const w = compact ? NODE_W_COMPACT : NODE_W
  const h = compact ? NODE_H_COMPACT : NODE_H
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
    nodes.push({
      id,
      type: 'db',
      position: drag ? { x: drag.x, y: drag.y } : layout.positions[id],
      width: w,
      height: h,
      handles,
      zIndex: 10,
      data: {
        id,
        index,
        color: nodeColor(index),
        status: health.status,
        statusBadge: health.badge,
        statusNote: health.note,
        clock: s?.clock ?? 0,
        keyCount: s?.keyCount ?? 0,
        memtableBytes: s?.memtableBytes ?? 0,
        tablesPerLevel: s?.tablesPerLevel ?? [],
        hintsHeld: s?.hintsHeld ?? 0,
        backlog: s ? sumValues(s.replogByPeer) : 0,
        clockSkewMs: s?.clockSkewMs ?? 0,
        zone: zoneOf[id] ?? 'A',
        compact,
        warning: s?.warning,
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

/** Replication links plus hint arrows (depends on snapshots only through hintsByTarget). */
export function deriveEdges(input: FlowInput): FlowEdge[] {
  return [...linkEdges(input), ...hintEdges(input.members, input.snapshots)]
}

function zoneNode(
  id: string,
  label: string,
  kind: 'zone' | 'kill',
  r: { x: number; y: number; w: number; h: number },
  count: number,
): FlowNode {
  return {
    id: `zone:${id}`,
    type: 'zone',
    position: { x: r.x, y: r.y },
    data: { label, kind, count },
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
      if (!ab.inTopology && !ba.inTopology && !busy && !faulted) continue
      if (busyKept && !faulted && !selected && !busyKept.has(id)) continue
      edges.push({
        id,
        type: 'link',
        source: a,
        target: b,
        zIndex: 1,
        data: {
          a,
          b,
          ab,
          ba,
          partitioned: (zoneOf[a] ?? 'A') !== (zoneOf[b] ?? 'A'),
          selected,
          dense,
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

function hintEdges(
  members: readonly string[],
  snapshots: Readonly<Record<string, NodeSnapshot>>,
): FlowEdge[] {
  const edges: FlowEdge[] = []
  for (const holder of members) {
    const s = snapshots[holder]
    if (!s) continue
    for (const [owner, count] of Object.entries(s.hintsByTarget)) {
      if (count <= 0 || !members.includes(owner)) continue
      edges.push({
        id: `hint:${holder}>${owner}`,
        type: 'hint',
        source: holder,
        target: owner,
        zIndex: 2,
        animated: true,
        data: { count },
      })
    }
  }
  return edges
}
