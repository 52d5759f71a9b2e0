/**
 * The simulated nodes by id: resolving a client's node reference, the live ones, and their
 * summaries and snapshots for `nodes`, `inspect` and subscribers' batches.
 */

import { resolveNodeRef } from '../cluster/options'
import { emptySnapshot } from '../cluster/results'
import type { NodeSnapshot, NodeSummary } from '../cluster/types'
import { dbError } from '../core/errors'
import type { NodeId } from '../core/ids'
import type { DbNode } from '../core/node/dbNode'
import { nodeSnapshot } from '../core/node/inspect'
import { type LiveSimNode, newSimNode, type SimNode } from './simLifecycle'

export class SimNodeTable {
  readonly byId = new Map<NodeId, SimNode>()

  constructor(private readonly dbPrefix: string) {}

  /** A new, down node with an empty memory disk. */
  add(id: NodeId): SimNode {
    const s = newSimNode(id, this.dbPrefix)
    this.byId.set(id, s)
    return s
  }

  get(id: NodeId): SimNode | undefined {
    return this.byId.get(id)
  }

  values(): IterableIterator<SimNode> {
    return this.byId.values()
  }

  /** The member a client's reference (index or id) names. */
  resolve(ref: number | string, members: readonly NodeId[]): SimNode {
    return this.byId.get(resolveNodeRef(ref, members))!
  }

  /** Every node that is up (not paused, not down). */
  live(): LiveSimNode[] {
    return [...this.byId.values()].filter((n): n is LiveSimNode => !!n.node && n.status === 'up')
  }

  /** The node's DbNode; NODE_DOWN when it is down, NODE_PAUSED when paused. */
  dbNode(s: SimNode): DbNode {
    if (!s.node || s.status === 'down') throw dbError('NODE_DOWN', `${s.id} is down`)
    if (s.status === 'paused') throw dbError('NODE_PAUSED', `${s.id} is paused`)
    return s.node
  }

  summaries(members: readonly NodeId[]): NodeSummary[] {
    return members.map((id) => {
      const s = this.byId.get(id)!
      return { id, index: s.index, status: s.status }
    })
  }

  snapshot(s: SimNode): NodeSnapshot | null {
    if (!s.node) return null
    return { id: s.id, status: s.status, clockSkewMs: s.skewMs, ...nodeSnapshot(s.node) }
  }

  /** Every node's snapshot (an empty one for a node that is down). */
  snapshots(): NodeSnapshot[] {
    return [...this.byId.values()].map((s) => this.snapshot(s) ?? emptySnapshot(s.id, s.status, s.skewMs))
  }
}
