/**
 * Turns the detectors' findings into Anomalies: the ops involved (with their role), the nodes and
 * links they touched, the write op ids, a one-line title and the causes (causes.ts).
 */
import type { Anomaly, AnomalyKind, OpRef, ReadSpan } from './anomaly'
import {
  type CausedOp,
  type CauseEnv,
  divergenceCauses,
  keyCauses,
  lostWriteCauses,
  siblingCauses,
  staleReadCauses,
} from './causes'
import type { Divergence } from './divergence'
import type { CompletedOp } from './history'
import type { KeyLinearizability } from './linearizability'
import type { LostWrite } from './lostWrites'
import type { OpContext } from './opContext'
import type { ReadAnomaly } from './staleReads'

export type CtxOf = (index: number) => OpContext

const VALUE_SHOWN_MAX = 24

/** A value as a title shows it (long workload payloads shortened). */
export function shown(v: string | null): string {
  if (v === null) return 'nothing'
  return v.length > VALUE_SHOWN_MAX ? `'${v.slice(0, VALUE_SHOWN_MAX)}…'` : `'${v}'`
}

function ref(op: CompletedOp, ctx: OpContext, role: string): OpRef {
  return {
    index: op.index,
    f: op.f,
    key: op.key,
    value: op.value,
    start: op.start,
    end: Number.isFinite(op.end) ? op.end : null,
    outcome: op.outcome,
    node: ctx.node,
    opId: ctx.opId,
    role,
  }
}

function caused(op: CompletedOp, ctxOf: CtxOf): CausedOp {
  return { start: op.start, end: op.end, f: op.f, ctx: ctxOf(op.index) }
}

/** Nodes, links and op ids touched by these ops (coordinator → each ack / reply, stand-in → owner). */
function footprint(ops: readonly CompletedOp[], ctxOf: CtxOf) {
  const nodes = new Set<string>()
  const links = new Map<string, [string, string]>()
  const opIds: string[] = []
  const reads: ReadSpan[] = []
  const link = (a: string, b: string) => {
    if (a !== b) links.set(a < b ? `${a}|${b}` : `${b}|${a}`, [a, b])
  }
  for (const op of ops) {
    const ctx = ctxOf(op.index)
    if (ctx.opId) opIds.push(ctx.opId)
    const at = ctx.node
    if (op.f === 'read' && at)
      reads.push({ node: at, key: op.key, startMs: op.start, endMs: Number.isFinite(op.end) ? op.end : null })
    if (at) nodes.add(at)
    for (const a of ctx.acks ?? []) {
      nodes.add(a.node)
      if (at) link(at, a.node)
      if (a.hintedFor) {
        nodes.add(a.hintedFor)
        link(a.node, a.hintedFor)
      }
    }
    for (const r of ctx.replies ?? []) {
      nodes.add(r.node)
      if (at) link(at, r.node)
    }
  }
  return { nodes: [...nodes].sort(), links: [...links.values()], opIds, reads }
}

function anomaly(
  kind: AnomalyKind,
  key: string,
  decider: CompletedOp,
  title: string,
  causes: string[],
  parts: Array<[CompletedOp, string]>,
  ctxOf: CtxOf,
): Anomaly {
  const ops = parts.map(([op]) => op)
  return {
    id: `${kind}:${key}:${decider.index}`,
    kind,
    key,
    title,
    causes,
    ops: parts.map(([op, role]) => ref(op, ctxOf(op.index), role)),
    ...footprint(ops, ctxOf),
    time: Number.isFinite(decider.end) ? decider.end : decider.start,
  }
}

function writeText(op: CompletedOp): string {
  return op.f === 'delete' ? `delete #${op.index}` : `write ${shown(op.value)} #${op.index}`
}

/** A stale, unwritten or future read. */
export function describeRead(a: ReadAnomaly, ctxOf: CtxOf, env: CauseEnv): Anomaly {
  const via = ctxOf(a.read.index).node
  const readText = `read of ${a.key}${via ? ` via ${via}` : ''} returned ${shown(a.read.value)}`
  if (a.kind === 'stale-read') {
    const parts: Array<[CompletedOp, string]> = [[a.read, 'read']]
    if (a.returnedWrite) parts.push([a.returnedWrite, 'returned write'])
    parts.push([a.supersededBy, 'newer write'])
    const causes = staleReadCauses(
      env,
      caused(a.read, ctxOf),
      caused(a.supersededBy, ctxOf),
      a.returnedWrite && caused(a.returnedWrite, ctxOf),
    )
    const title = `${readText}, although ${writeText(a.supersededBy)} had completed before the read began`
    const out = anomaly('stale-read', a.key, a.read, title, causes, parts, ctxOf)
    // The replication that did not arrive: from each replica holding the newer write to each one read.
    const held = (ctxOf(a.supersededBy.index).acks ?? []).map((x) => x.node)
    const asked = (ctxOf(a.read.index).replies ?? []).map((x) => x.node).filter((n) => !held.includes(n))
    const have = new Set(out.links.map(([x, y]) => (x < y ? `${x}|${y}` : `${y}|${x}`)))
    for (const h of held)
      for (const r of asked)
        if (h !== r && !have.has(h < r ? `${h}|${r}` : `${r}|${h}`)) out.links.push([h, r])
    return out
  }
  const parts: Array<[CompletedOp, string]> = [[a.read, 'read']]
  if (a.write) parts.push([a.write, 'later write'])
  const title =
    a.kind === 'future-read'
      ? `${readText}, a value first written after the read completed`
      : `${readText}, a value no acknowledged or pending write wrote`
  return anomaly(
    a.kind,
    a.key,
    a.read,
    title,
    ['not explained by the recorded configuration and faults'],
    parts,
    ctxOf,
  )
}

/** A key whose history has no linearization; causes are those of its stale reads when it has some. */
export function describeNonLinearizable(
  k: KeyLinearizability,
  ctxOf: CtxOf,
  env: CauseEnv,
  staleOfKey: readonly Anomaly[],
  keyOps: readonly CompletedOp[],
): Anomaly {
  const unplaced = k.unplaced ?? []
  const decider = unplaced[0]
  const causes =
    staleOfKey.length > 0
      ? staleOfKey[0].causes
      : keyCauses(
          env,
          keyOps.map((op) => caused(op, ctxOf)),
          (o) => o.f === 'read',
        )
  const title = `${k.key}: no order of its ${k.opCount} operations explains every result (${unplaced.length} could never be placed)`
  const base = decider ?? { index: -1, start: 0, end: 0 }
  return {
    ...anomaly(
      'non-linearizable',
      k.key,
      base as CompletedOp,
      title,
      causes,
      unplaced.map((op) => [op, 'unplaced'] as [CompletedOp, string]),
      ctxOf,
    ),
    id: `non-linearizable:${k.key}:${decider?.index ?? 'x'}`,
  }
}

/** An acknowledged write or delete the final state lost. */
export function describeLost(l: LostWrite, ctxOf: CtxOf, env: CauseEnv): Anomaly {
  const causes = lostWriteCauses(
    env,
    caused(l.op, ctxOf),
    l.finalMutations.map((m) => caused(m, ctxOf)),
  )
  const title = `acknowledged ${writeText(l.op)} of ${l.key} is not in the final state (${shown(l.finalValue)} is)`
  const parts: Array<[CompletedOp, string]> = [
    [l.op, 'lost'],
    ...l.finalMutations.map((m) => [m, 'final'] as [CompletedOp, string]),
  ]
  return anomaly(l.kind, l.key, l.op, title, causes, parts, ctxOf)
}

/** Replicas of a key that still differ after heal and quiescence. */
export function describeDivergence(d: Divergence, env: CauseEnv, now: number): Anomaly {
  const states = Object.entries(d.states)
  const nodes = states.map(([n]) => n).sort()
  const links: Array<[string, string]> = []
  for (let i = 0; i < nodes.length; i++)
    for (let j = i + 1; j < nodes.length; j++) links.push([nodes[i], nodes[j]])
  const text = states
    .map(
      ([n, e]) =>
        `${n}: ${e === undefined || e.tombstone ? 'absent' : shown(e.value)}${e?.version ? ` @${e.version}` : ''}`,
    )
    .join(', ')
  return {
    id: `divergence:${d.key}`,
    kind: 'divergence',
    key: d.key,
    title: `replicas of ${d.key} differ after heal and quiescence (${text})`,
    causes: divergenceCauses(env, now),
    ops: [],
    nodes,
    links,
    opIds: [],
    reads: [],
    time: now,
  }
}

/** A read that returned several siblings (vector mode). */
export function describeSiblings(read: CompletedOp, ctxOf: CtxOf, env: CauseEnv): Anomaly {
  const ctx = ctxOf(read.index)
  const n = ctx.siblings?.length ?? 0
  const title = `read of ${read.key}${ctx.node ? ` via ${ctx.node}` : ''} returned ${n} siblings (${(ctx.siblings ?? []).map((s) => shown(s.value)).join(', ')})`
  return anomaly(
    'siblings',
    read.key,
    read,
    title,
    siblingCauses(env, caused(read, ctxOf)),
    [[read, 'read']],
    ctxOf,
  )
}
