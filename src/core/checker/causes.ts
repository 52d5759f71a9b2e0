/**
 * The cause of an anomaly in words, derived only from what was recorded: the run's N/W/R and
 * conflict mode, each op's level, coordinator, acks (stand-ins) and replies, and the faults in
 * effect when it ran (partitions, down nodes, clock skew). The first cause listed is the strongest.
 */
import { levelToQuorum } from '../quorum/consistency'
import type { FaultSnapshot, OpContext, RunConfig } from './opContext'

/** What cause rules read: the configuration, the faults at a time, and an op's context. */
export interface CauseEnv {
  config: RunConfig
  faultsAt(time: number): FaultSnapshot
}

/** An op as cause rules see it. */
export interface CausedOp {
  f?: 'read' | 'write' | 'delete'
  start: number
  end: number
  ctx: OpContext
}

/** W and R an op ran with: its level, else the cluster's level, else the configured quorums. */
export function quorumOf(config: RunConfig, ctx: OpContext): { w: number; r: number } {
  const level = ctx.level ?? config.level
  if (!level) return { w: config.w, r: config.r }
  try {
    return levelToQuorum(level, config.n)
  } catch {
    return { w: config.w, r: config.r }
  }
}

function levelName(config: RunConfig, ctx: OpContext, f: 'r' | 'w'): string {
  const level = ctx.level ?? config.level
  const q = quorumOf(config, ctx)[f]
  return level ?? (q === 1 ? 'ONE' : `${f.toUpperCase()}=${q}`)
}

function groupsText(groups: readonly string[][]): string {
  return groups.map((g) => `{${g.join(', ')}}`).join(' | ')
}

function groupOf(groups: readonly string[][], node: string | undefined): number {
  return node === undefined ? -1 : groups.findIndex((g) => g.includes(node))
}

/** Why a stand-in took the write: its owner was down, partitioned from the coordinator, or silent. */
function sloppyCauses(env: CauseEnv, w: CausedOp): string[] {
  const out: string[] = []
  const faults = env.faultsAt(w.start)
  for (const a of w.ctx.acks ?? []) {
    if (!a.hintedFor) continue
    const owner = a.hintedFor
    const why = faults.down.includes(owner)
      ? 'down'
      : faults.groups.length > 0 && groupOf(faults.groups, owner) !== groupOf(faults.groups, w.ctx.node)
        ? 'partitioned'
        : 'not answering'
    out.push(`sloppy quorum: the write went to stand-in ${a.node} while ${owner} was ${why}`)
  }
  return out
}

function skewCauses(env: CauseEnv, ops: readonly CausedOp[]): string[] {
  if (env.config.timestampSource !== 'wallclock') return []
  const out: string[] = []
  const seen = new Set<string>()
  for (const op of ops) {
    const skew = env.faultsAt(op.start).skewMs
    const node = op.ctx.version?.node ?? op.ctx.node
    if (!node || seen.has(node) || !skew[node]) continue
    seen.add(node)
    const s = skew[node] / 1000
    out.push(
      `LWW with wall-clock timestamps: ${node}'s clock ran ${Math.abs(s)} s ${s > 0 ? 'ahead' : 'behind'}`,
    )
  }
  return out
}

function partitionDuring(env: CauseEnv, op: CausedOp): FaultSnapshot | null {
  const f = env.faultsAt(op.start)
  return f.groups.length > 0 ? f : null
}

/** A read returned an older state although a newer write had completed before it began. */
export function staleReadCauses(
  env: CauseEnv,
  read: CausedOp,
  newer: CausedOp,
  returned: CausedOp | undefined,
): string[] {
  const { config } = env
  const out: string[] = []
  out.push(...skewCauses(env, returned ? [returned, newer] : [newer]))
  const r = quorumOf(config, read.ctx).r
  const w = quorumOf(config, newer.ctx).w
  if (r + w <= config.n) out.push(`R + W ≤ N (${r} + ${w} ≤ ${config.n})`)
  out.push(...sloppyCauses(env, newer))
  const p = partitionDuring(env, read)
  if (p && r === 1)
    out.push(`read at ${levelName(config, read.ctx, 'r')} during a partition (${groupsText(p.groups)})`)
  else if (p) out.push(`read during a partition (${groupsText(p.groups)})`)
  const acked = new Set((newer.ctx.acks ?? []).map((a) => a.node))
  const asked = (read.ctx.replies ?? []).map((x) => x.node)
  if (asked.length > 0 && acked.size > 0 && !asked.some((n) => acked.has(n)))
    out.push(
      asked.length === 1
        ? `the read asked only ${asked[0]}, which had not acknowledged the newer write (${[...acked].join(', ')})`
        : `the read asked ${asked.join(', ')}; none of them had acknowledged the newer write (${[...acked].join(', ')})`,
    )
  if (out.length === 0 && config.sloppyQuorum && (partitionDuring(env, newer) || p))
    out.push('sloppy quorum during a partition: stand-ins break the R + W > N overlap')
  if (out.length === 0) out.push('not explained by the recorded configuration and faults')
  return out
}

/** An acknowledged write (or delete) whose effect is not in the final state. */
export function lostWriteCauses(env: CauseEnv, lost: CausedOp, winners: readonly CausedOp[]): string[] {
  const { config } = env
  const out: string[] = [...skewCauses(env, [...winners, lost])]
  const w = quorumOf(config, lost.ctx).w
  const other = winners.length > 0 ? quorumOf(config, winners[0].ctx).w : w
  if (w + other <= config.n)
    out.push(
      `W + W ≤ N (${w} + ${other} ≤ ${config.n}): the two writes' replicas need not overlap, so LWW ordered them by stamp, not by time`,
    )
  out.push(...sloppyCauses(env, lost))
  const p = partitionDuring(env, lost)
  if (p) out.push(`written during a partition (${groupsText(p.groups)})`)
  if (config.mode === 'lww')
    out.push('LWW keeps one version per key: the losing write was discarded without a trace')
  if (out.length === 0) out.push('not explained by the recorded configuration and faults')
  return out
}

/** Replicas of a key still differ after heal and quiescence. */
export function divergenceCauses(env: CauseEnv, now: number): string[] {
  const out: string[] = []
  const f = env.faultsAt(now)
  if (f.groups.length > 0) out.push(`a partition is still in effect (${groupsText(f.groups)})`)
  if (f.down.length > 0) out.push(`${f.down.join(', ')} still down`)
  if (env.config.antiEntropyIntervalMs === 0)
    out.push('anti-entropy is off (interval 0 ms) and no read repaired the key')
  if (out.length === 0) out.push('anti-entropy has not reconciled the replicas yet')
  return out
}

/** Concurrent writes kept as siblings (vector mode). */
export function siblingCauses(env: CauseEnv, read: CausedOp): string[] {
  const writers = [...new Set((read.ctx.siblings ?? []).map((s) => s.node).filter((n) => n))]
  const out = [
    `concurrent writes${writers.length > 0 ? ` by ${writers.join(' and ')}` : ''}: vector mode keeps each as a sibling until a write with the read's context resolves them`,
  ]
  const p = partitionDuring(env, read)
  if (p) out.push(`read during a partition (${groupsText(p.groups)})`)
  return out
}

/** A key's ops have no linearization and no dedicated detector explained it: the run's weak spots. */
export function keyCauses(
  env: CauseEnv,
  ops: readonly CausedOp[],
  isRead: (op: CausedOp) => boolean,
): string[] {
  const { config } = env
  const out: string[] = [...skewCauses(env, ops)]
  const reads = ops.filter(isRead)
  const writes = ops.filter((o) => !isRead(o))
  const r = Math.min(...reads.map((o) => quorumOf(config, o.ctx).r), config.n)
  const w = Math.min(...writes.map((o) => quorumOf(config, o.ctx).w), config.n)
  if (r + w <= config.n) out.push(`R + W ≤ N (${r} + ${w} ≤ ${config.n})`)
  for (const o of writes) out.push(...sloppyCauses(env, o))
  const p = ops.map((o) => partitionDuring(env, o)).find((x) => x !== null)
  if (p) out.push(`operations during a partition (${groupsText(p.groups)})`)
  if (out.length === 0) out.push('not explained by the recorded configuration and faults')
  return [...new Set(out)]
}
