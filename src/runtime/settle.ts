/** `settle()` for the worker runtime: poll every live worker until nothing is in flight or deliverable. */
import { dbError } from '../core/errors'
import { type FaultState, linkUsable } from '../core/faults/linkRules'
import type { NodeId } from '../core/ids'
import { bounded, STEP_TIMEOUT_MS, type WorkerNode } from './workerNode'

const SETTLE_POLL_MS = 25

/** Resolves after three quiet polls in a row; TIMEOUT after `timeoutMs` (real time). */
export async function settleWorkers(
  nodes: () => ReadonlyMap<NodeId, WorkerNode>,
  faults: () => FaultState,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs
  let quietPolls = 0
  while (performance.now() < deadline) {
    quietPolls = (await quietNow(nodes(), faults())) ? quietPolls + 1 : 0
    if (quietPolls >= 3) return
    await new Promise((r) => setTimeout(r, SETTLE_POLL_MS))
  }
  throw dbError('TIMEOUT', `cluster did not settle within ${timeoutMs} ms`)
}

async function quietNow(nodes: ReadonlyMap<NodeId, WorkerNode>, faults: FaultState): Promise<boolean> {
  const live = [...nodes.values()].filter((w) => w.status === 'up' && w.api)
  // A node killed (or hung) mid-poll answers nothing: it is not busy, it is gone (bounded, as boots).
  const states = await Promise.all(
    live.map((w) =>
      bounded(Promise.resolve(w.api!.quiet()), STEP_TIMEOUT_MS, `${w.id}: quiet`, w.killed.promise).catch(
        () => null,
      ),
    ),
  )
  return states.every((s, i) => {
    if (!s) return true
    const from = live[i].id
    const reach = (peer: string): boolean => {
      const p = nodes.get(peer as NodeId)
      return p?.status === 'up' && linkUsable(faults, from, p.id) && linkUsable(faults, p.id, from)
    }
    return (
      s.groupsIdle &&
      s.requestsInFlight === 0 &&
      s.delayedSends === 0 &&
      !s.backlogPeers.some(reach) &&
      !s.hintTargets.some(reach)
    )
  })
}
