/**
 * Live bookkeeping of CRDT ops (applyCrdt) and their check against the merged state a final read
 * returns: a counter's value must lie between what was acknowledged and what was acknowledged or
 * indeterminate; an acknowledged OR-Set add of an element nobody removed must be in the set.
 * Bounded: counters keep four totals per key, sets at most ELEMENTS_PER_KEY_MAX added elements.
 */
import type { Anomaly } from './anomaly'

export interface CrdtRecord {
  key: string
  op: { inc: number } | { dec: number } | { add: string } | { remove: string } | { set: string }
  outcome: 'ok' | 'info' | 'fail'
  node?: string
  opId?: string
  errorCode?: string
  time: number
}

/** A CRDT key's merged value after quiescence (a read's `crdt`). */
export interface CrdtFinal {
  type: string
  value: unknown
}

interface KeyBook {
  inc: { ok: number; info: number }
  dec: { ok: number; info: number }
  /** Acknowledged adds: element → the op's node and time. */
  added: Map<string, { node?: string; opId?: string; time: number }>
  /** Elements a remove was issued for (ok or not): their absence is no loss. */
  removed: Set<string>
  lossy: boolean
}

const ELEMENTS_PER_KEY_MAX = 2000
const KEYS_MAX = 5000

export class CrdtBook {
  private readonly keys = new Map<string, KeyBook>()

  private book(key: string): KeyBook {
    let b = this.keys.get(key)
    if (!b) {
      if (this.keys.size >= KEYS_MAX) this.keys.delete(this.keys.keys().next().value as string)
      b = {
        inc: { ok: 0, info: 0 },
        dec: { ok: 0, info: 0 },
        added: new Map(),
        removed: new Set(),
        lossy: false,
      }
      this.keys.set(key, b)
    }
    return b
  }

  /** Counts one completed CRDT op (failed ops never happened). */
  add(r: CrdtRecord): void {
    if (r.outcome === 'fail') return
    const b = this.book(r.key)
    const op = r.op
    if ('inc' in op) b.inc[r.outcome] += op.inc
    else if ('dec' in op) b.dec[r.outcome] += op.dec
    else if ('remove' in op) b.removed.add(op.remove)
    else if ('add' in op && r.outcome === 'ok') {
      b.added.set(op.add, { node: r.node, opId: r.opId, time: r.time })
      if (b.added.size > ELEMENTS_PER_KEY_MAX) {
        b.added.delete(b.added.keys().next().value as string)
        b.lossy = true
      }
    }
  }

  /** Keys with CRDT ops recorded. */
  get keyNames(): string[] {
    return [...this.keys.keys()]
  }

  /** CRDT losses against each key's merged final value. */
  check(finals: ReadonlyMap<string, CrdtFinal>, time: number): Anomaly[] {
    const out: Anomaly[] = []
    for (const [key, b] of this.keys) {
      const f = finals.get(key)
      if (!f) continue
      const loss = (title: string, node?: string, opId?: string): Anomaly => ({
        id: `crdt-loss:${key}:${title}`,
        kind: 'crdt-loss',
        key,
        title,
        causes: [
          'not explained by the recorded configuration and faults: a CRDT merge never drops an acknowledged op',
        ],
        ops: [],
        nodes: node ? [node] : [],
        links: [],
        opIds: opId ? [opId] : [],
        reads: [],
        time,
      })
      if (f.type === 'gcounter' || f.type === 'pncounter') {
        const v = Number(f.value)
        const lo = b.inc.ok - b.dec.ok - b.dec.info
        const hi = b.inc.ok + b.inc.info - b.dec.ok
        if (!(v >= lo && v <= hi))
          out.push(
            loss(
              `${key} = ${v}, outside [${lo}, ${hi}] (acknowledged increments and decrements, ± indeterminate ones)`,
            ),
          )
      } else if (f.type === 'orset' && Array.isArray(f.value)) {
        const have = new Set((f.value as unknown[]).map(String))
        for (const [el, at] of b.added)
          if (!b.removed.has(el) && !have.has(el))
            out.push(loss(`acknowledged add of '${el}' to ${key} is not in the merged set`, at.node, at.opId))
      }
    }
    return out
  }
}
