/**
 * Streaming rows to their new owners in the simulator: a move's first pass (count, then stream, the
 * rate shared by what each node counted), its catch-up pass after the publish, and the ledger that
 * retries what a node still owes (handOverLedger.ts). A node killed mid-stream never fires its
 * request timeouts, so every stream races its incarnation's kill switch.
 */

import { HandOverLedger, type Layout } from '../cluster/handOverLedger'
import { accumulate, type PassStreamer, runCatchUpPass, runHandOverPass } from '../cluster/handOverPass'
import { type MembershipSnapshot, priorOf } from '../cluster/membership'
import type { MoveRecord } from '../cluster/moveProgress'
import type { ClusterEvent } from '../core/events'
import type { NodeId } from '../core/ids'
import { countForNewOwners, handOverText, streamToNewOwners } from '../core/node/handOff'
import { NODE_DEFAULTS } from '../core/node/nodeConfig'
import type { LiveSimNode, SimNode } from './simLifecycle'
import type { Simulator } from './simulator'

/** What hand-overs use of the cluster. */
export interface SimHandOverHost {
  readonly sim: Simulator
  node(id: NodeId): SimNode | undefined
  /** Every node that is up (not paused, not down). */
  liveNodes(): LiveSimNode[]
  /** The cluster-wide streaming cap now, bytes/s. */
  transferBytesPerSec(): number
  /** The map the nodes were last sent. */
  publishedLayout(): Layout
  record(e: ClusterEvent): void
  drive<T>(p: Promise<T>): Promise<T>
}

/** The ledger of owed hand-overs, streaming on the simulated nodes and retrying on virtual time. */
export function simLedger(host: SimHandOverHost): HandOverLedger {
  return new HandOverLedger({
    published: () => host.publishedLayout(),
    stream: (id, from, to, pass) => {
      const s = host.node(id)
      if (!s?.node || s.status !== 'up') return null
      const bytesPerSec =
        pass?.bytesPerSec ?? host.transferBytesPerSec() / Math.max(1, host.liveNodes().length)
      const onSent = pass && accumulate((rows, bytes) => pass.onProgress(rows, bytes))
      const plan = { ring: to.ring, n: to.n, bytesPerSec, before: from, onSent }
      const streaming = streamToNewOwners(s.node, plan)
      // A node killed mid-stream never fires its request timeouts: its kill ends the stream.
      return Promise.race([streaming, s.killed.promise]).then((x) => {
        if (x.rowsSent > 0)
          host.record({ t: host.sim.nowMs, type: 'hand-over', node: id, detail: handOverText(x) })
      })
    },
    later: (ms, fn) => host.sim.schedule(ms, fn, () => ({ text: 'hand-over retry' })),
    lateMs: 2 * NODE_DEFAULTS.requestTimeoutMs,
  })
}

/**
 * Each node in `from` counts, then streams, the rows `to` gives to new owners (handOff.ts); the
 * cluster's rate is shared in proportion to what each counted.
 */
export async function handOver(
  host: SimHandOverHost,
  from: readonly LiveSimNode[],
  to: Layout,
  before: MembershipSnapshot,
  move: MoveRecord,
): Promise<void> {
  const plan = { ring: to.ring, n: to.n, before: priorOf(before) }
  // A node killed mid-stream never fires its request timeouts: its kill fails the pass.
  const streamers = from.map(
    (s): PassStreamer => ({
      id: s.id,
      count: () => Promise.race([countForNewOwners(s.node, plan), s.killed.promise]),
      stream: (bytesPerSec, onProgress) =>
        Promise.race([
          streamToNewOwners(s.node, { ...plan, bytesPerSec, onSent: accumulate(onProgress) }),
          s.killed.promise,
        ]),
    }),
  )
  const stats = await host.drive(runHandOverPass(move, host.transferBytesPerSec(), streamers))
  stats.forEach((x, i) => {
    if (x.rowsSent > 0)
      host.record({ t: host.sim.nowMs, type: 'hand-over', node: from[i].id, detail: handOverText(x) })
  })
}

/**
 * After a publish: every live node streams what was written under the old map meanwhile (its layout
 * → the published map); one attempt is awaited, failures retry in the background (the ledger).
 */
export async function catchUp(
  host: SimHandOverHost,
  ledger: HandOverLedger,
  move: MoveRecord,
): Promise<void> {
  const count = (id: NodeId, from: Layout, to: Layout) => {
    const s = host.node(id)
    if (!s?.node) return Promise.resolve({ rows: 0, bytes: 0 })
    const counting = countForNewOwners(s.node, { ring: to.ring, n: to.n, before: from })
    return Promise.race([counting, s.killed.promise])
  }
  const ids = host.liveNodes().map((s) => s.id)
  await host.drive(
    runCatchUpPass(move, host.transferBytesPerSec(), ledger, host.publishedLayout(), ids, count),
  )
}
