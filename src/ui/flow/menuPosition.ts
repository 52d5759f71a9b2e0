/**
 * Where a popup menu goes next to a card: to its right, else its left, else below or above it; always
 * inside the container.
 */
const GAP = 8

export function menuPosition(
  card: { x: number; y: number; w: number; h: number },
  menu: { w: number; h: number },
  box: { w: number; h: number },
): { left: number; top: number } {
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v))
  const right = card.x + card.w + GAP
  const left = card.x - menu.w - GAP
  const topBeside = clamp(card.y, GAP, box.h - menu.h - GAP)
  if (right + menu.w <= box.w - GAP) return { left: right, top: topBeside }
  if (left >= GAP) return { left, top: topBeside }
  const x = clamp(card.x, GAP, box.w - menu.w - GAP)
  const below = card.y + card.h + GAP
  if (below + menu.h <= box.h - GAP) return { left: x, top: below }
  return { left: x, top: clamp(card.y - menu.h - GAP, GAP, box.h - menu.h - GAP) }
}
