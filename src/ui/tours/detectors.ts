/**
 * Step detectors: pure functions of an observation (and the facts gathered so far) that say when the
 * user has done a step, and return the figures to narrate it. Each keys on one state change or event.
 */
import type { Memo, ObsNode, TourObs } from './types'
import type { UserOp } from './userOps'

const num = (m: Memo, k: string): number => (typeof m[k] === 'number' ? (m[k] as number) : 0)
const str = (m: Memo, k: string): string => (typeof m[k] === 'string' ? (m[k] as string) : '')

export { num as memoNum, str as memoStr }

function realGroups(obs: TourObs): readonly (readonly string[])[] {
  return obs.groups.filter((g) => g.length > 0)
}

/** A partition is in force: the nodes of the smallest side are `isolated`. */
export function partitioned(obs: TourObs): Memo | null {
  const groups = realGroups(obs)
  if (groups.length < 2) return null
  const smallest = [...groups].sort((a, b) => a.length - b.length)[0]
  const isolated = [...smallest].sort()
  return {
    isolated: isolated.join(','),
    isolatedList: isolated.join(' and '),
    isolatedVerb: isolated.length === 1 ? 'is' : 'are',
    partitionedAtMs: obs.tMs,
    sides: groups.length,
  }
}

/** Every partition is gone, after one was seen in this session (`wasPartitioned`). */
export function healed(obs: TourObs, memo: Memo): Memo | null {
  if (num(memo, '_wasPartitioned') !== 1 || realGroups(obs).length >= 2) return null
  return { healedAtMs: obs.tMs }
}

/** Marks that a partition was seen (so "healed" cannot tick on a cluster that never had one). */
export function trackPartition(obs: TourObs, memo: Memo): Memo | null {
  return realGroups(obs).length >= 2 && num(memo, '_wasPartitioned') !== 1 ? { _wasPartitioned: 1 } : null
}

/** A node is down (killed): the first such member. */
export function nodeKilled(obs: TourObs): Memo | null {
  const id = obs.members.find((m) => obs.nodes[m]?.status === 'down')
  return id ? { killed: id, killedAtMs: obs.tMs } : null
}

/** The node named by memo[key] is up again. */
export function nodeBackUp(key: string) {
  return (obs: TourObs, memo: Memo): Memo | null => {
    const id = str(memo, key)
    return id && obs.nodes[id]?.status === 'up' ? { restartedAtMs: obs.tMs } : null
  }
}

/** Hints held for `target` across every holder, and the holder with the most. */
export function hintsFor(
  nodes: Readonly<Record<string, ObsNode>>,
  target: string,
): { total: number; holder: string; held: number } {
  let total = 0
  let holder = ''
  let held = 0
  for (const [id, n] of Object.entries(nodes)) {
    const c = n.hintsByTarget[target] ?? 0
    total += c
    if (c > held) {
      held = c
      holder = id
    }
  }
  return { total, holder, held }
}

/** Peak hints held for the killed node (and by whom), whichever step is current. */
export function trackHints(obs: TourObs, memo: Memo): Memo | null {
  const target = str(memo, 'killed')
  if (!target) return null
  const h = hintsFor(obs.nodes, target)
  if (h.total <= num(memo, 'hintsPeak')) return null
  return { hintsPeak: h.total, hintHolder: h.holder, hintHolderPeak: h.held }
}

/** At least `min` hints are held for the killed node. */
export function hintsPiledUp(min: number) {
  return (obs: TourObs, memo: Memo): Memo | null => {
    const target = str(memo, 'killed')
    if (!target) return null
    const h = hintsFor(obs.nodes, target)
    return h.total >= min ? { hintsSeen: h.total, hintHolder: h.holder, hintHolderPeak: h.held } : null
  }
}

/** No hint is left for the killed node, which is up: the hints were delivered. */
export function hintsDrained(obs: TourObs, memo: Memo): Memo | null {
  const target = str(memo, 'killed')
  if (!target || obs.nodes[target]?.status !== 'up') return null
  if (hintsFor(obs.nodes, target).total > 0) return null
  return { drainedAtMs: obs.tMs }
}

/** Total replication backlog over all nodes. */
export function totalBacklog(obs: TourObs): number {
  let b = 0
  for (const n of Object.values(obs.nodes)) b += n.backlog
  return b
}

/** Peak backlog and peak workload errors per second, whichever step is current. */
export function trackPeaks(obs: TourObs, memo: Memo): Memo | null {
  const b = totalBacklog(obs)
  const out: Record<string, number> = {}
  if (b > num(memo, 'backlogPeak')) out.backlogPeak = b
  if (realGroups(obs).length >= 2 && obs.errorsPerSec > num(memo, 'errorsPeak'))
    out.errorsPeak = Math.round(obs.errorsPerSec * 10) / 10
  return Object.keys(out).length ? out : null
}

/** The replication backlog reached `min` ops (writes waiting for peers across a partition). */
export function backlogAtLeast(min: number) {
  return (obs: TourObs): Memo | null => {
    const b = totalBacklog(obs)
    return b >= min ? { backlogSeen: b } : null
  }
}

/** Merkle exchanges in this observation: how many, mismatched leaves, keys applied. */
export function merkleFigures(obs: TourObs): { exchanges: number; mismatched: number; applied: number } {
  let exchanges = 0
  let mismatched = 0
  let applied = 0
  for (const e of obs.events) {
    if (e.type !== 'merkle-exchange') continue
    exchanges++
    try {
      const d = JSON.parse(e.detail ?? '{}') as { mismatchedLeaves?: number; keysApplied?: number }
      mismatched += d.mismatchedLeaves ?? 0
      applied += d.keysApplied ?? 0
    } catch {
      // a detail that is not JSON counts as an exchange without figures
    }
  }
  return { exchanges, mismatched, applied }
}

/** Merkle exchanges since the heal, summed (only once healed). */
export function trackMerkle(obs: TourObs, memo: Memo): Memo | null {
  if (!('healedAtMs' in memo)) return null
  const f = merkleFigures(obs)
  if (f.exchanges === 0) return null
  return {
    aeExchanges: num(memo, 'aeExchanges') + f.exchanges,
    aeMismatched: num(memo, 'aeMismatched') + f.mismatched,
    aeApplied: num(memo, 'aeApplied') + f.applied,
  }
}

/**
 * The backlog a running workload keeps in flight even on a healthy cluster (20 ops/s acknowledged
 * within a few ms each): "caught up" means at most this much, not exactly zero.
 */
export const CAUGHT_UP_BACKLOG_MAX = 10

/** After the heal: the backlog is back to what a healthy cluster carries and a Merkle exchange ran. */
export function converged(obs: TourObs, memo: Memo): Memo | null {
  if (!('healedAtMs' in memo) || totalBacklog(obs) > CAUGHT_UP_BACKLOG_MAX) return null
  if (num(memo, 'aeExchanges') + merkleFigures(obs).exchanges === 0) return null
  return { convergedAtMs: obs.tMs, backlogLeft: totalBacklog(obs) }
}

/** A node's clock is skewed by at least `minAbsMs`. */
export function clockSkewed(minAbsMs: number) {
  return (obs: TourObs): Memo | null => {
    const id = obs.members.find((m) => Math.abs(obs.nodes[m]?.clockSkewMs ?? 0) >= minAbsMs)
    if (!id) return null
    const skewMs = obs.nodes[id].clockSkewMs
    return {
      skewed: id,
      skewMs,
      skewS: Math.round(Math.abs(skewMs) / 1000),
      skewDir: skewMs > 0 ? 'ahead' : 'behind',
    }
  }
}

/** The first user operation of this observation that matches. */
export function userOp(match: (op: UserOp, memo: Memo) => boolean, facts: (op: UserOp) => Memo) {
  return (obs: TourObs, memo: Memo): Memo | null => {
    const op = obs.ops.find((o) => match(o, memo))
    return op ? facts(op) : null
  }
}

/** The side panel shows `tab`. */
export function tabOpen(tab: TourObs['tab']) {
  return (obs: TourObs): Memo | null => (obs.tab === tab ? { tabAtMs: obs.tMs } : null)
}

/** The first observation's membership, recorded once. */
export function trackStartMembers(obs: TourObs, memo: Memo): Memo | null {
  return 'startMembers' in memo ? null : { startMembers: obs.members.length }
}

/** A node joined since the tour started: the newest member. */
export function nodeAdded(obs: TourObs, memo: Memo): Memo | null {
  const start = num(memo, 'startMembers')
  if (start === 0 || obs.members.length <= start) return null
  return {
    joined: obs.members[obs.members.length - 1],
    joinedAtMs: obs.tMs,
  }
}

/** Rows streamed to new owners (hand-over events), summed; the first node that streamed. */
export function trackHandOver(obs: TourObs, memo: Memo): Memo | null {
  let rows = 0
  let from = ''
  for (const e of obs.events) {
    if (e.type !== 'hand-over') continue
    const m = /streamed (\d+) rows/.exec(e.detail ?? '')
    rows += m ? Number(m[1]) : 0
    from ||= e.node
  }
  if (rows === 0) return null
  return { rowsMoved: num(memo, 'rowsMoved') + rows, ...(str(memo, 'movedFrom') ? {} : { movedFrom: from }) }
}

/** The side panel shows the Ring tab once a node joined: its rows and the ring's version now. */
export function ringShown(obs: TourObs, memo: Memo): Memo | null {
  const joined = str(memo, 'joined')
  if (!joined || obs.tab !== 'ring') return null
  return { ringVersionNow: obs.ringVersion, joinedKeys: obs.nodes[joined]?.keyCount ?? 0 }
}

/** Rows moved (counted by trackHandOver) once a node has joined. */
export function rowsMoved(obs: TourObs, memo: Memo): Memo | null {
  if (!str(memo, 'joined') || num(memo, 'rowsMoved') === 0) return null
  return { rowsMovedAtMs: obs.tMs }
}

/** Seconds between two memo times, one decimal. */
export function secondsBetween(memo: Memo, from: string, to: string): string {
  return (Math.max(0, num(memo, to) - num(memo, from)) / 1000).toFixed(1)
}
