/**
 * Client operations in the simulator: each goes through one node's DbNode, advances virtual time
 * until it completes, and fails with NODE_DOWN if that node is killed first (as in the worker
 * runtime). A node still joining takes no write or read.
 */

import { toReadResult, writeIntentOf } from '../cluster/results'
import type { OpOptions, ReadResult, ScanPage, WriteOptions, WriteResult } from '../cluster/types'
import type { ExchangeStats } from '../core/antiEntropy/exchangeStats'
import { type RunAntiEntropyOptions, runAntiEntropy } from '../core/antiEntropy/install'
import { dbError } from '../core/errors'
import type { NodeId } from '../core/ids'
import type { DbNode } from '../core/node/dbNode'
import { scanNode } from '../core/node/inspect'
import { clientRead, clientWrite } from '../core/node/ownerRouting'
import { runStorageAction, type StorageActionResult } from '../core/node/storageControl'
import { type NodeQuery, type NodeQueryAnswer, runNodeQuery } from '../core/query/nodeQuery'
import type { SimNode } from './simLifecycle'
import type { Simulator } from './simulator'

/** What client operations use of the cluster. */
export interface SimClientHost {
  readonly sim: Simulator
  /** The node a reference names (throws once the cluster is shut down). */
  node(ref: number | string): SimNode
  /** Its DbNode; NODE_DOWN or NODE_PAUSED when it cannot serve. */
  dbNode(s: SimNode): DbNode
  /** The node joining now, or null. */
  joining(): NodeId | null
  drive<T>(p: Promise<T>): Promise<T>
}

export class SimClientOps {
  constructor(private readonly host: SimClientHost) {}

  /** The live DbNode; throws NODE_DOWN when it is down. */
  liveNode(ref: number | string): DbNode {
    return this.host.dbNode(this.host.node(ref))
  }

  /** The node a client operation goes through; NODE_DOWN while it is joining. */
  private clientNode(ref: number | string): DbNode {
    const node = this.liveNode(ref)
    if (node.id === this.host.joining())
      throw dbError(
        'NODE_DOWN',
        `${node.id} is still joining: send operations to another node until addNode resolves`,
      )
    return node
  }

  /** `p`, or NODE_DOWN if the node serving it is killed first (as in the worker runtime). */
  whileAlive<T>(ref: number | string, p: Promise<T>): Promise<T> {
    return Promise.race([p, this.host.node(ref).killed.promise])
  }

  async write(
    ref: number | string,
    key: string,
    value: string | null,
    opts: WriteOptions,
  ): Promise<WriteResult> {
    const { sim } = this.host
    const node = this.clientNode(ref)
    const t0 = sim.nowMs
    const out = await this.host.drive(
      this.whileAlive(ref, clientWrite(node, key, value, opts.level, writeIntentOf(opts))),
    )
    return {
      ok: true,
      key,
      version: out.version,
      acks: out.acks,
      ...(out.opId ? { opId: out.opId } : {}),
      latencyMs: sim.nowMs - t0,
    }
  }

  async readAt(ref: number | string, key: string, opts: OpOptions = {}): Promise<ReadResult> {
    const { sim } = this.host
    const node = this.clientNode(ref)
    const t0 = sim.nowMs
    const out = await this.host.drive(this.whileAlive(ref, clientRead(node, key, opts.level)))
    return { ...toReadResult(out), latencyMs: sim.nowMs - t0 }
  }

  scan(ref: number | string, opts: { start?: string; limit?: number }): Promise<ScanPage> {
    return this.host.drive(scanNode(this.liveNode(ref), opts))
  }

  nodeQuery<Q extends NodeQuery>(ref: number | string, q: Q): Promise<NodeQueryAnswer<Q>> {
    return this.host.drive(this.whileAlive(ref, runNodeQuery(this.liveNode(ref), q)))
  }

  /** `filter` is checked after the node (the order the errors come in). */
  antiEntropy(ref: number | string, filter: () => RunAntiEntropyOptions): Promise<ExchangeStats[]> {
    return this.host.drive(runAntiEntropy(this.liveNode(ref), filter()))
  }

  storage(ref: number | string, action: 'flush' | 'compact'): Promise<StorageActionResult> {
    return this.host.drive(runStorageAction(this.liveNode(ref), action))
  }
}
