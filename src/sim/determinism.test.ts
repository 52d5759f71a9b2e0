import { describe, expect, it } from 'vitest'
import type { ClusterEvent } from '../core/events'
import { sha1Hex } from '../core/ring/sha1'
import { replicationRun } from './sweep/replicationRun'

/** Runs one faulty workload and hashes its whole event trace. */
async function traceHash(seed: number): Promise<{ hash: string; events: number }> {
  const lines: string[] = []
  const r = await replicationRun(seed, {})
  // replicationRun records applies via hooks; the cluster's buffer holds the last events. Hash both the
  // final states and the event buffer, which covers sends, deliveries, drops and applies.
  for (const e of r.cluster.events.toArray()) lines.push(eventLine(e))
  for (const [i, m] of r.finalStates.entries())
    for (const [k, v] of [...m].sort()) lines.push(`${i}|${k}|${v.value}|${v.version.ts}|${v.version.node}`)
  await r.cluster.shutdown()
  return { hash: sha1Hex(lines.join('\n')), events: lines.length }
}

function eventLine(e: ClusterEvent): string {
  return `${e.t}|${e.type}|${e.node}|${e.peer ?? ''}|${e.msg ?? ''}|${e.opId ?? ''}|${e.key ?? ''}|${e.detail ?? ''}`
}

describe('the simulator is deterministic', () => {
  it('the same seed gives the same event trace; another seed gives another', async () => {
    const a = await traceHash(7)
    const b = await traceHash(7)
    const c = await traceHash(8)
    expect(a.events).toBeGreaterThan(50)
    expect(b.hash).toBe(a.hash)
    expect(c.hash).not.toBe(a.hash)
  })
})
