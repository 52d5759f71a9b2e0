/**
 * Actor ids: who signs a merging write's dot (vector mode) or CRDT entry. A node's actor is its id
 * in its first incarnation and `<id>.<epoch in base 36>` after it opened on an empty disk (rebuilt,
 * replaced, a memory disk restarted), so a node that lost its state never signs a dot its earlier
 * incarnation signed (node/nodeMeta.ts `freshEpoch`; ARCHITECTURE.md, "Node epochs").
 */

/** The actor id a node signs with: its id, and its epoch when not 0. */
export function actorId(id: string, epoch: number): string {
  return epoch === 0 ? id : `${id}.${epoch.toString(36)}`
}

/** The node an actor id belongs to (`node_0.k3x9a1` → `node_0`). */
export function actorNode(actor: string): string {
  const i = actor.indexOf('.')
  return i < 0 ? actor : actor.slice(0, i)
}
