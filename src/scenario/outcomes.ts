/**
 * What a recorded action did: its coordinator, key and level as called, and its outcome (ok or the
 * error's code, acknowledgements, the value read). Tours tick from these (the recorded actions, not
 * clicks on a panel), and a worker-runtime replay is compared with a simulator replay step by step
 * through them. `outcomeTap` reports every action call made on a cluster, whoever made it.
 */
import type { Cluster } from '../cluster/types'
import { toErrorData } from '../core/errors'
import { type ActionName, isActionName } from './schema'

/** A client operation's kind (a Cluster API `read` is a get with details). */
export type ClientOp = 'put' | 'get' | 'delete' | 'crdt'

export interface ActionOutcome {
  action: ActionName
  /** The client operation, for put/get/read/delete/applyCrdt (null for faults, membership, …). */
  op: ClientOp | null
  /** The coordinator or node the call named, as a node id ('' when it names none). */
  node: string
  key: string
  /** The consistency level asked for ('default' = none given). */
  level: string
  /** A put's value. */
  value?: string
  ok: boolean
  errorCode?: string
  /** Put/delete: replicas that acknowledged. */
  acks?: number
  /** get/read: the value read (null when absent) and how many siblings came back. */
  readValue?: string | null
  siblings?: number
}

const OPS: Partial<Record<ActionName, ClientOp>> = {
  put: 'put',
  get: 'get',
  read: 'get',
  delete: 'delete',
  applyCrdt: 'crdt',
}
/** Actions whose first argument is a node (index or id). */
const NODE_FIRST = new Set<ActionName>([
  'put',
  'get',
  'read',
  'delete',
  'applyCrdt',
  'kill',
  'restart',
  'pause',
  'resume',
  'setClockSkew',
  'setDiskFaults',
  'removeNode',
  'antiEntropy',
  'flush',
  'compact',
])

function nodeIdOf(nodes: Cluster['nodes'] | undefined, ref: unknown): string {
  if (typeof ref === 'string') return ref
  if (typeof ref === 'number') return (nodes?.[ref]?.id as string | undefined) ?? `node_${ref}`
  return ''
}

/** The call's shape: key (composite keys as `pk|ck`), value and level, from its positional arguments. */
function callShape(
  action: ActionName,
  args: readonly unknown[],
): { key: string; value?: string; level: string } {
  const opts = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null) as
    | { level?: string }
    | undefined
  const level = opts?.level ?? 'default'
  const strs = args.slice(1).filter((a): a is string => typeof a === 'string')
  if (action === 'put') {
    // [node, key, value] or [node, pk, ck, value]
    const key = strs.length >= 3 ? `${strs[0]}|${strs[1]}` : (strs[0] ?? '')
    return { key, value: strs.at(-1), level }
  }
  if (OPS[action])
    return {
      key: strs.length >= 2 && action !== 'applyCrdt' ? `${strs[0]}|${strs[1]}` : (strs[0] ?? ''),
      level,
    }
  return { key: '', level }
}

/** The outcome of one call: `result` when it resolved, `error` when it threw or rejected. */
export function outcomeOf(
  action: ActionName,
  args: readonly unknown[],
  settled: { ok: true; result: unknown } | { ok: false; error: unknown },
  nodes?: Cluster['nodes'],
): ActionOutcome {
  const shape = callShape(action, args)
  const out: ActionOutcome = {
    action,
    op: OPS[action] ?? null,
    node: NODE_FIRST.has(action) ? nodeIdOf(nodes, args[0]) : '',
    key: shape.key,
    level: shape.level,
    ok: settled.ok,
  }
  if (shape.value !== undefined) out.value = shape.value
  if (!settled.ok) {
    out.errorCode = toErrorData(settled.error).code
    return out
  }
  const r = settled.result as { acks?: unknown[]; value?: unknown; siblings?: unknown[] } | string | null
  if (action === 'get') out.readValue = typeof r === 'string' ? r : null
  else if (r && typeof r === 'object') {
    if (Array.isArray(r.acks)) out.acks = r.acks.length
    if (action === 'read') {
      out.readValue = typeof r.value === 'string' ? r.value : null
      out.siblings = Array.isArray(r.siblings) ? r.siblings.length : 0
    }
  }
  return out
}

/** Calls `onOutcome` when each action `call` settles (returns what the call returned, untouched). */
export function watchCall(
  action: ActionName,
  args: readonly unknown[],
  call: () => unknown,
  onOutcome: (o: ActionOutcome) => void,
  nodes?: () => Cluster['nodes'],
): unknown {
  const report = (s: Parameters<typeof outcomeOf>[2]) => {
    try {
      onOutcome(outcomeOf(action, args, s, nodes?.()))
    } catch {
      // a listener's error never reaches the caller
    }
  }
  let out: unknown
  try {
    out = call()
  } catch (error) {
    report({ ok: false, error })
    throw error
  }
  if (out && typeof (out as Promise<unknown>).then === 'function')
    (out as Promise<unknown>).then(
      (result) => report({ ok: true, result }),
      (error) => report({ ok: false, error }),
    )
  else report({ ok: true, result: out })
  return out
}

/** The cluster with every action call reported to `onOutcome` once it settles (other members pass through). */
export function outcomeTap<C extends Cluster>(cluster: C, onOutcome: (o: ActionOutcome) => void): C {
  return new Proxy(cluster, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target)
      if (typeof value !== 'function') return value
      if (typeof prop === 'string' && isActionName(prop) && prop !== 'step')
        return (...args: unknown[]) =>
          watchCall(
            prop,
            args,
            () => value.apply(target, args),
            onOutcome,
            () => target.nodes,
          )
      return value.bind(target)
    },
  })
}
