/**
 * Hint drains that just finished, for the canvas: a drain is often one or two batches (well under a
 * second), so its arrow (stand-in → owner, "delivered 12 ✓") stays for LINGER_MS after the last batch.
 * Returned as one primitive key so the edges re-derive only when it changes.
 */
import { useEffect, useRef, useState } from 'react'
import { useStore } from '../store/store'

export const LINGER_MS = 4000

/** `holder>owner=delivered;...` of the drains whose last batch came in the last LINGER_MS (page clock). */
export function useRecentDrains(): string {
  const drains = useStore((s) => s.hintDrains)
  const seen = useRef(new Map<string, { lastMs: number; delivered: number; untilMs: number }>())
  const [key, setKey] = useState('')
  useEffect(() => {
    const now = performance.now()
    for (const d of drains) {
      const k = `${d.holder}>${d.owner}`
      const was = seen.current.get(k)
      if (was && was.lastMs >= d.lastMs) continue
      // A drain seen for the first time after page boot still counts only if it is new to this view.
      seen.current.set(k, { lastMs: d.lastMs, delivered: d.delivered, untilMs: now + LINGER_MS })
    }
    const refresh = () => {
      const t = performance.now()
      const parts: string[] = []
      for (const [k, v] of seen.current) if (v.untilMs > t) parts.push(`${k}=${v.delivered}`)
      setKey(parts.sort().join(';'))
    }
    refresh()
    const timer = setTimeout(refresh, LINGER_MS + 50)
    return () => clearTimeout(timer)
  }, [drains])
  return key
}

/** The key back to `holder>owner` → delivered. */
export function parseDrainKey(key: string): Record<string, number> {
  const out: Record<string, number> = {}
  if (!key) return out
  for (const part of key.split(';')) {
    const [k, n] = part.split('=')
    out[k] = Number(n)
  }
  return out
}
