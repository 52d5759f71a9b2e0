/**
 * Client operations made on the page's cluster, whoever made them (console, data browser, canvas,
 * `window.playground.cluster`), with their outcomes: the page's cluster is wrapped in the scenario
 * engine's `outcomeTap` (playground.ts attach), which reports here. Tour steps such as "put cart
 * through node_0 at ALL" tick from these recorded actions, not from the tour's own buttons.
 */
import type { ActionOutcome } from '../../scenario/outcomes'

/** A recorded client operation (put/get/read/delete/applyCrdt) and its outcome. */
export type UserOp = ActionOutcome & { op: NonNullable<ActionOutcome['op']> }

const listeners = new Set<(op: UserOp) => void>()

/** Reports one settled action (anything but a client operation is ignored). */
export function noteOutcome(o: ActionOutcome): void {
  if (o.op === null) return
  for (const l of listeners) l(o as UserOp)
}

/** Calls `fn` for each client operation from now on; returns the unsubscribe. */
export function onUserOp(fn: (op: UserOp) => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}
