/** What releasing a dragged node would do, in words: the caption on the hovered zone or kill area. */
import type { DisplayStatus } from '../model/health'
import type { ZoneId } from './layout'

export type DropTarget = ZoneId | 'kill' | null

export interface DropFeedback {
  target: DropTarget
  /** What happens on release: a partition change, a kill, or nothing (same zone, outside, already down). */
  effect: 'move' | 'kill' | 'none'
  caption: string
}

function peers(n: number): string {
  return `${n} peer${n === 1 ? '' : 's'}`
}

/** The caption for dropping node `id` on `target` (null = outside every zone). */
export function dropFeedback(
  id: string,
  target: DropTarget,
  members: readonly string[],
  zoneOf: Readonly<Record<string, ZoneId>>,
  status: DisplayStatus,
): DropFeedback {
  const home = zoneOf[id] ?? 'A'
  if (target === 'kill')
    return status === 'down'
      ? { target, effect: 'none', caption: `${id} is already down — release to leave it` }
      : { target, effect: 'kill', caption: `release to kill ${id}` }
  if (target === null)
    return {
      target,
      effect: 'none',
      caption: `outside every zone — release to leave ${id} in zone ${home}`,
    }
  if (target === home) return { target, effect: 'none', caption: `release to keep ${id} in zone ${home}` }
  const others = members.filter((m) => m !== id)
  const joined = others.filter((m) => (zoneOf[m] ?? 'A') === target)
  const cut = others.length - joined.length
  if (cut === 0) return { target, effect: 'move', caption: `release to reconnect ${id} with all peers` }
  const caption = `release to partition ${id} from ${peers(cut)}`
  return {
    target,
    effect: 'move',
    caption: joined.length ? `${caption} (it joins ${peers(joined.length)} in zone ${target})` : caption,
  }
}

/** The notice after a drop outside every zone: nothing changed, and why. */
export function outsideDropNotice(id: string, zoneOf: Readonly<Record<string, ZoneId>>): string {
  return `${id} was dropped outside every zone, so it stays in zone ${zoneOf[id] ?? 'A'}. Drop it on another zone to partition it, or on the kill area to kill it.`
}
