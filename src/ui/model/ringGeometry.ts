/** Ring positions for the SVG view: a 40-hex token → an angle in degrees (0 at the top, clockwise). */

/** The fraction of the ring a token sits at, from its top 32 bits (plenty for drawing). */
export function tokenFraction(token: string): number {
  return Number.parseInt(token.slice(0, 8), 16) / 2 ** 32
}

export function tokenAngleDeg(token: string): number {
  return tokenFraction(token) * 360
}

/** Share of the ring each node owns (sum of its arcs), from [token, node] pairs sorted by token. */
export function ownershipShares(vnodes: ReadonlyArray<readonly [string, string]>): Record<string, number> {
  const out: Record<string, number> = {}
  const n = vnodes.length
  for (let i = 0; i < n; i++) {
    const prev = tokenFraction(vnodes[(i + n - 1) % n][0])
    const cur = tokenFraction(vnodes[i][0])
    const arc = n === 1 ? 1 : (cur - prev + 1) % 1
    out[vnodes[i][1]] = (out[vnodes[i][1]] ?? 0) + arc
  }
  return out
}
