/** User actions on the live cluster; failures become a visible coded error, never an unhandled rejection. */

import type { Cluster, Topology } from '../cluster/types'
import { type DiskFaults, NO_DISK_FAULTS } from '../core/disk/faultyDisk'
import { toErrorData } from '../core/errors'
import type { LinkRule } from '../core/faults/linkRules'
import { groupsFromZones, type ZoneId } from './flow/layout'
import type { UndoAction } from './model/faultsInEffect'
import { replaceCluster } from './playground'
import { useStore } from './store/store'

function live(): Cluster | null {
  return useStore.getState().cluster
}

/** Runs an action, showing its coded error in the page. */
export async function act(what: string, fn: (c: Cluster) => unknown): Promise<boolean> {
  const c = live()
  if (!c) return false
  try {
    await fn(c)
    return true
  } catch (e) {
    const d = toErrorData(e)
    useStore.getState().setError({ ...d, message: `${what}: ${d.message}` })
    return false
  } finally {
    useStore.getState().syncFaults()
    useStore.getState().syncMembers()
    useStore.getState().tickFaults()
  }
}

/** Moves a node into a zone and re-partitions the cluster by zone (one zone → partition healed). */
export function moveToZone(id: string, zone: ZoneId): Promise<boolean> {
  const s = useStore.getState()
  const zoneOf = { ...s.zoneOf, [id]: zone }
  s.setZones(zoneOf)
  return act('partition', (c) => c.partition(groupsFromZones(s.members, zoneOf)))
}

/** What "Heal all" does, for its tooltip and the notice it leaves. */
export const HEAL_ALL_TEXT =
  'Heals every partition, clears every link rule, resets clock skew, resumes paused nodes and restarts killed ones.'

/** Undoes every fault: network (partitions, link rules), clock skew, paused and killed nodes. */
export function healAll(): Promise<boolean> {
  return act('heal', async (c) => {
    c.heal()
    const s = useStore.getState()
    const done: string[] = []
    for (const n of c.nodes) {
      if ((s.snapshots[n.id]?.clockSkewMs ?? 0) !== 0) {
        c.setClockSkew(n.id, 0)
        done.push(`${n.id} clock reset`)
      }
    }
    await Promise.all(
      c.nodes.map(async (n) => {
        if (n.status === 'paused') {
          await c.resume(n.id)
          done.push(`${n.id} resumed`)
        } else if (n.status === 'down') {
          await c.restart(n.id)
          done.push(`${n.id} restarted`)
        }
      }),
    )
    s.setNotice(`Healed: network faults cleared${done.length ? `; ${done.sort().join(', ')}` : ''}.`)
  })
}

/** Undoes one fault from the "Faults in effect" strip. */
export function undoFault(undo: UndoAction): Promise<boolean> {
  return act('undo', async (c) => {
    if (undo.type === 'partition') c.partition(undo.groups)
    else if (undo.type === 'link') for (const l of undo.links) c.setLink(l.from, l.to, l.rule)
    else if (undo.type === 'resume') await c.resume(undo.node)
    else if (undo.type === 'restart') await c.restart(undo.node)
    else if (undo.type === 'disk') await c.setDiskFaults(undo.node, NO_DISK_FAULTS)
    else c.setClockSkew(undo.node, 0)
  })
}

/** Sets (or clears with null) the fault rule on one directed link. */
export function setLinkRule(from: string, to: string, rule: LinkRule | null): Promise<boolean> {
  return act('set link', (c) => c.setLink(from, to, rule ?? {}))
}

export type NodeAction = 'kill' | 'restart' | 'pause' | 'resume'

export function nodeAction(id: string, action: NodeAction): Promise<boolean> {
  return act(action, (c) => c[action](id))
}

/**
 * Deletes one failed node's database and restarts it empty; its peers refill it (the user confirmed
 * in the banner). Only the worker runtime has per-node databases.
 */
export function rebuildNode(id: string): Promise<boolean> {
  return act(`rebuild ${id}`, async (c) => {
    if (!c.rebuildNode)
      throw Object.assign(new Error('this runtime cannot rebuild nodes'), { code: 'BAD_INPUT' })
    await c.rebuildNode(id)
    useStore
      .getState()
      .setNotice(`${id} was rebuilt empty: anti-entropy, hints and pull sync refill it from its peers.`)
  })
}

/** Re-creates the cluster with `persist: false`, chosen explicitly: memory only, lost on reload. */
export async function runInMemory(): Promise<boolean> {
  const s = useStore.getState()
  if (!s.options) return false
  try {
    await replaceCluster({ ...s.options, numNodes: s.members.length || s.options.numNodes, persist: false })
    useStore
      .getState()
      .setNotice('Running in memory: every node keeps its data in memory only and loses it on reload.')
    return true
  } catch {
    return false // replaceCluster shows the error
  }
}

/** Sets injected storage faults on one node's disk (merged into its current ones). */
export function setDiskFaults(id: string, faults: Partial<DiskFaults>): Promise<boolean> {
  return act('disk faults', (c) => c.setDiskFaults(id, faults))
}

export function setSkew(id: string, skewMs: number): Promise<boolean> {
  return act('clock skew', (c) => c.setClockSkew(id, skewMs))
}

/** Adds a node (next index, fresh ring tokens); the ring view animates the token moves. */
export function addNode(): Promise<boolean> {
  return act('add node', async (c) => {
    const id = await c.addNode()
    useStore
      .getState()
      .setNotice(`${id} joined: it took tokens on the ring and anti-entropy streams it its ranges.`)
  })
}

/** Removes a node from the ring and the cluster (its ranges move to the next nodes). */
export function removeNode(id: string): Promise<boolean> {
  return act('remove node', async (c) => {
    if (c.nodes.length <= 1)
      throw Object.assign(new Error('the last node cannot be removed'), { code: 'BAD_INPUT' })
    await c.removeNode(id)
  })
}

/** Changes the replication topology of the running cluster (undefined = all-to-all). */
export function applyTopology(topology: Topology | undefined): Promise<boolean> {
  return act('set topology', (c) => {
    c.setTopology(topology ?? null)
    useStore.getState().setTopologyShown(topology)
  })
}
