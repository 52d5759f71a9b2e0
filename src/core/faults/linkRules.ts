/**
 * Network faults, decided the same way in the worker runtime and the simulator: given the rules and a
 * message from → to, `decideDelivery` says whether it is dropped and, if not, after how long it
 * arrives and how many copies.
 */
import type { NodeId } from '../ids'
import type { Random } from '../random'

export interface LinkRule {
  /** One direction cut: nothing from → to arrives. */
  cut?: boolean
  /** Fixed one-way latency added to every message. */
  latencyMs?: number
  /** Extra uniform random latency in [0, jitterMs); makes reordering possible. */
  jitterMs?: number
  /** Probability in [0, 1] that a message is lost. */
  lossRate?: number
  /** Probability in [0, 1] that a message arrives twice. */
  duplicateRate?: number
}

export interface FaultState {
  /** Partition groups; empty = no partition. A node in no group is in a group of its own ("rest"). */
  groups: NodeId[][]
  /** Directed link rules keyed `from>to`. */
  links: Record<string, LinkRule>
  /** Base one-way latency for every link. */
  baseLatencyMs: number
}

export function emptyFaults(baseLatencyMs = 0): FaultState {
  return { groups: [], links: {}, baseLatencyMs }
}

export function linkKey(from: NodeId, to: NodeId): string {
  return `${from}>${to}`
}

/** The partition group index a node belongs to (-1 = the implicit "rest" group). */
export function groupOf(faults: FaultState, node: NodeId): number {
  for (let i = 0; i < faults.groups.length; i++) if (faults.groups[i].includes(node)) return i
  return -1
}

export function partitioned(faults: FaultState, a: NodeId, b: NodeId): boolean {
  if (faults.groups.length === 0) return false
  return groupOf(faults, a) !== groupOf(faults, b)
}

export type Delivery =
  | { drop: true; reason: 'partition' | 'cut' | 'loss' }
  | { drop: false; delaysMs: number[] }

/** Decides the fate of one message. Consumes randomness only for rules that need it. */
export function decideDelivery(faults: FaultState, from: NodeId, to: NodeId, random: Random): Delivery {
  if (partitioned(faults, from, to)) return { drop: true, reason: 'partition' }
  const rule = faults.links[linkKey(from, to)]
  if (rule?.cut) return { drop: true, reason: 'cut' }
  if (rule?.lossRate && random.next() < rule.lossRate) return { drop: true, reason: 'loss' }
  const base = faults.baseLatencyMs + (rule?.latencyMs ?? 0)
  const delay = (): number => base + (rule?.jitterMs ? random.next() * rule.jitterMs : 0)
  const delaysMs = [delay()]
  if (rule?.duplicateRate && random.next() < rule.duplicateRate) delaysMs.push(delay())
  return { drop: false, delaysMs }
}

/** Whether anything sent from → to can arrive (no partition between them, no cut, loss below 1). */
export function linkUsable(faults: FaultState, from: NodeId, to: NodeId): boolean {
  if (partitioned(faults, from, to)) return false
  const rule = faults.links[linkKey(from, to)]
  return !rule?.cut && (rule?.lossRate ?? 0) < 1
}
