/**
 * The "Faults in effect" list: one chip per rule in force (an isolated node or cut-off group, a cut
 * link and its direction, latency, loss, duplication, a paused or killed node, a skewed clock, a faulty disk), each
 * with the action that undoes it, plus when it started (tracked across reads) for the chip's age and
 * the charts' fault bands. Pure functions; unit-tested.
 */
import type { LinkRule } from '../../core/faults/linkRules'

export type FaultKind =
  | 'isolated'
  | 'partition'
  | 'cut'
  | 'latency'
  | 'loss'
  | 'dup'
  | 'paused'
  | 'killed'
  | 'skew'
  | 'disk'

export type UndoAction =
  | { type: 'partition'; groups: string[][] }
  | { type: 'link'; links: Array<{ from: string; to: string; rule: LinkRule }> }
  | { type: 'resume'; node: string }
  | { type: 'restart'; node: string }
  | { type: 'skew'; node: string }
  | { type: 'disk'; node: string }

export interface FaultChip {
  /** Stable identity across reads (its age is tracked by it). */
  key: string
  kind: FaultKind
  label: string
  undo: UndoAction
  undoLabel: string
}

export interface FaultInput {
  members: readonly string[]
  /** Partition groups (cluster.faults().groups). */
  groups: readonly (readonly string[])[]
  /** Directed link rules keyed `from>to`. */
  links: Readonly<Record<string, LinkRule>>
  status: Readonly<Record<string, 'up' | 'down' | 'paused' | undefined>>
  skewMs: Readonly<Record<string, number | undefined>>
  /** Injected disk faults per node, in words (absent = none). */
  disk?: Readonly<Record<string, string | undefined>>
}

type Part = 'cut' | 'latency' | 'loss' | 'dup'

function partOf(rule: LinkRule, part: Part): string | null {
  if (part === 'cut') return rule.cut ? 'cut' : null
  if (part === 'latency')
    return rule.latencyMs || rule.jitterMs
      ? `+${rule.latencyMs ?? 0}${rule.jitterMs ? `±${rule.jitterMs}` : ''} ms`
      : null
  if (part === 'loss') return rule.lossRate ? `loss ${Math.round(rule.lossRate * 100)}%` : null
  return rule.duplicateRate ? `dup ${Math.round(rule.duplicateRate * 100)}%` : null
}

function without(rule: LinkRule, part: Part): LinkRule {
  const r = { ...rule }
  if (part === 'cut') delete r.cut
  if (part === 'latency') {
    delete r.latencyMs
    delete r.jitterMs
  }
  if (part === 'loss') delete r.lossRate
  if (part === 'dup') delete r.duplicateRate
  return r
}

/** Partition groups with every node in some group (the "rest" group made explicit). */
function fullGroups(members: readonly string[], groups: FaultInput['groups']): string[][] {
  const present = new Set(members)
  const real = groups.map((g) => g.filter((id) => present.has(id))).filter((g) => g.length > 0)
  const grouped = new Set(real.flat())
  const rest = members.filter((id) => !grouped.has(id))
  return rest.length > 0 ? [...real, rest] : real
}

function partitionChips(input: FaultInput): FaultChip[] {
  const all = fullGroups(input.members, input.groups)
  if (all.length <= 1) return []
  const largest = all.reduce((a, b) => (b.length > a.length ? b : a))
  const out: FaultChip[] = []
  for (const g of all) {
    if (g === largest) continue
    const others = input.members.length - g.length
    // Undo: this group joins the largest one; with two groups left that is no partition at all.
    const rest = all.filter((x) => x !== g && x !== largest)
    const groups = rest.length === 0 ? [] : [...rest, [...largest, ...g]]
    const sorted = [...g].sort()
    out.push({
      key: `partition:${sorted.join(',')}`,
      kind: g.length === 1 ? 'isolated' : 'partition',
      label:
        g.length === 1
          ? `${g[0]} isolated from ${others} peer${others === 1 ? '' : 's'}`
          : `${sorted.join(', ')} cut off from ${others} peer${others === 1 ? '' : 's'}`,
      undo: { type: 'partition', groups },
      undoLabel: `rejoin ${g.length === 1 ? g[0] : 'them'}`,
    })
  }
  return out
}

function linkChips(links: FaultInput['links']): FaultChip[] {
  const out: FaultChip[] = []
  const done = new Set<string>()
  for (const key of Object.keys(links).sort()) {
    const [from, to] = key.split('>')
    const rule = links[key]
    const back = links[`${to}>${from}`]
    for (const part of ['cut', 'latency', 'loss', 'dup'] as const) {
      const text = partOf(rule, part)
      if (!text || done.has(`${key}:${part}`)) continue
      done.add(`${key}:${part}`)
      // Both directions with the same setting: one chip "a ⇄ b".
      const both = back && partOf(back, part) === text
      if (both) done.add(`${to}>${from}:${part}`)
      const reset = [{ from, to, rule: without(rule, part) }]
      if (both) reset.push({ from: to, to: from, rule: without(back, part) })
      out.push({
        key: `link:${key}:${part}${both ? ':both' : ''}`,
        kind: part,
        label: `${from} ${both ? '⇄' : '→'} ${to} ${text}`,
        undo: { type: 'link', links: reset },
        undoLabel: part === 'cut' ? 'reconnect' : 'clear',
      })
    }
  }
  return out
}

/** Every fault in force, partitions first, then links, then node faults (in member order). */
export function faultsInEffect(input: FaultInput): FaultChip[] {
  const out = [...partitionChips(input), ...linkChips(input.links)]
  for (const id of input.members) {
    const st = input.status[id]
    if (st === 'down')
      out.push({
        key: `killed:${id}`,
        kind: 'killed',
        label: `${id} killed`,
        undo: { type: 'restart', node: id },
        undoLabel: 'restart',
      })
    if (st === 'paused')
      out.push({
        key: `paused:${id}`,
        kind: 'paused',
        label: `${id} paused`,
        undo: { type: 'resume', node: id },
        undoLabel: 'resume',
      })
    const skew = input.skewMs[id] ?? 0
    if (skew !== 0)
      out.push({
        key: `skew:${id}`,
        kind: 'skew',
        label: `${id} clock ${skew > 0 ? '+' : ''}${skew} ms`,
        undo: { type: 'skew', node: id },
        undoLabel: 'reset clock',
      })
    const disk = input.disk?.[id]
    if (disk)
      out.push({
        key: `disk:${id}:${disk}`,
        kind: 'disk',
        label: `${id} disk: ${disk}`,
        undo: { type: 'disk', node: id },
        undoLabel: 'heal disk',
      })
  }
  return out
}

/** A fault's time span, in page ms (performance.now()); `endMs` null while it is in force. */
export interface FaultWindow {
  key: string
  kind: FaultKind
  label: string
  startMs: number
  endMs: number | null
}

export const FAULT_WINDOWS_MAX = 50

/**
 * Opens a window for each chip that is new and closes the windows of chips that went away. Returns
 * the same array when nothing changed (so the store does not re-render).
 */
export function trackWindows(
  prev: readonly FaultWindow[],
  chips: readonly FaultChip[],
  nowMs: number,
): FaultWindow[] {
  const live = new Set(chips.map((c) => c.key))
  const open = new Set(prev.filter((w) => w.endMs === null).map((w) => w.key))
  let changed = false
  const next = prev.map((w) => {
    if (w.endMs !== null || live.has(w.key)) return w
    changed = true
    return { ...w, endMs: nowMs }
  })
  for (const c of chips) {
    if (open.has(c.key)) continue
    changed = true
    next.push({ key: c.key, kind: c.kind, label: c.label, startMs: nowMs, endMs: null })
  }
  return changed ? next.slice(-FAULT_WINDOWS_MAX) : (prev as FaultWindow[])
}

/** When the fault behind a chip started (its open window), for the chip's age. */
export function startedAt(windows: readonly FaultWindow[], key: string): number | null {
  for (let i = windows.length - 1; i >= 0; i--)
    if (windows[i].key === key && windows[i].endMs === null) return windows[i].startMs
  return null
}

/** "12 s", "3 min 5 s". */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`
}

/** Fault windows as chart bands in seconds since `originMs` (the workload's start); older ones are dropped. */
export function faultBands(
  windows: readonly FaultWindow[],
  originMs: number,
): Array<{ x0: number; x1: number | null; label: string }> {
  const out: Array<{ x0: number; x1: number | null; label: string }> = []
  for (const w of windows) {
    if (w.endMs !== null && w.endMs <= originMs) continue
    out.push({
      x0: Math.max(0, (w.startMs - originMs) / 1000),
      x1: w.endMs === null ? null : (w.endMs - originMs) / 1000,
      label: w.label,
    })
  }
  return out
}
