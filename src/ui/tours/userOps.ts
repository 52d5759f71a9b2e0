/**
 * Client operations the user ran from the page (the console), as a bounded log with listeners: tour
 * steps such as "write cart through node_0 at ALL" tick from these, not from the tour's own buttons.
 */

export interface UserOp {
  op: 'put' | 'get' | 'delete' | 'crdt'
  node: string
  key: string
  /** The level asked for ('default' = the cluster's). */
  level: string
  value?: string
  ok: boolean
  errorCode?: string
  /** Put/delete: replicas that acknowledged. */
  acks?: number
  /** Get: the value read and how many siblings came back. */
  readValue?: string | null
  siblings?: number
}

const LOG_MAX = 50
const log: UserOp[] = []
const listeners = new Set<(op: UserOp) => void>()

/** Records one finished operation and tells the listeners. */
export function noteUserOp(op: UserOp): void {
  log.push(op)
  if (log.length > LOG_MAX) log.shift()
  for (const l of listeners) l(op)
}

/** Calls `fn` for each operation recorded from now on; returns the unsubscribe. */
export function onUserOp(fn: (op: UserOp) => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

/** The last operations, oldest first. */
export function recentUserOps(): readonly UserOp[] {
  return log
}
