/**
 * Full or compact cards. From COMPACT_FROM_NODES nodes the cards are compact; on a narrow canvas (a
 * phone) also when full cards, fitted, would draw their smallest text below LEGIBLE_PX: a 3-node
 * cluster at 390 px wide drew 13 px text at ~0.67× (about 9 px).
 */
import { COMPACT_FROM_NODES } from './deriveFlow'
import { layoutZones, type ZoneId } from './layout'
import { boundsOf, type FitPadding, fitViewport } from './viewport'

/** The smallest text on a card at zoom 1 (its status badge), and the least the screen should show. */
export const CARD_TEXT_MIN_PX = 12.5
export const LEGIBLE_PX = 11

export function compactCards(
  members: readonly string[],
  zoneOf: Readonly<Record<string, ZoneId>>,
  stacked: boolean,
  canvas: { w: number; h: number },
  pad: FitPadding,
  maxZoom: number,
): boolean {
  if (members.length >= COMPACT_FROM_NODES) return true
  if (!stacked || canvas.w <= 0 || canvas.h <= 0) return false
  const full = boundsOf(layoutZones(members, zoneOf, false, true).zones)
  return fitViewport(full, canvas, pad, maxZoom).zoom * CARD_TEXT_MIN_PX < LEGIBLE_PX
}
