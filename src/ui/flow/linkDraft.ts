/**
 * The link panel's form: text as typed → a link rule, or per-field errors in human words. Nothing is
 * clamped: a value out of range is named and nothing is applied until every field is valid.
 */
import type { LinkRule } from '../../core/faults/linkRules'
import { checkWhole } from '../workload/fieldRules'

export interface LinkDraft {
  cut: boolean
  latencyMs: string
  jitterMs: string
  lossPct: string
  dupPct: string
}

export type LinkDraftField = Exclude<keyof LinkDraft, 'cut'>

export const LINK_FIELDS: ReadonlyArray<{ k: LinkDraftField; label: string; max: number }> = [
  { k: 'latencyMs', label: 'Latency ms', max: 60_000 },
  { k: 'jitterMs', label: 'Jitter ms', max: 60_000 },
  { k: 'lossPct', label: 'Loss %', max: 100 },
  { k: 'dupPct', label: 'Duplicate %', max: 100 },
]

/** A rule's draft (what the form shows for it). */
export function toDraft(r: LinkRule | undefined): LinkDraft {
  return {
    cut: !!r?.cut,
    latencyMs: String(r?.latencyMs ?? 0),
    jitterMs: String(r?.jitterMs ?? 0),
    lossPct: String(Math.round((r?.lossRate ?? 0) * 100)),
    dupPct: String(Math.round((r?.duplicateRate ?? 0) * 100)),
  }
}

/** Draft → rule (null when the link is clean), or the errors of the fields that are not valid. */
export function draftToRule(
  d: LinkDraft,
): { rule: LinkRule | null; errors: null } | { rule: null; errors: Partial<Record<LinkDraftField, string>> } {
  const errors: Partial<Record<LinkDraftField, string>> = {}
  const values: Partial<Record<LinkDraftField, number>> = {}
  for (const f of LINK_FIELDS) {
    const c = checkWhole(d[f.k], f.label, 0, f.max)
    if (c.error) errors[f.k] = c.error
    else values[f.k] = c.value ?? 0
  }
  if (Object.keys(errors).length > 0) return { rule: null, errors }
  const rule: LinkRule = {}
  if (d.cut) rule.cut = true
  if (values.latencyMs) rule.latencyMs = values.latencyMs
  if (values.jitterMs) rule.jitterMs = values.jitterMs
  if (values.lossPct) rule.lossRate = values.lossPct / 100
  if (values.dupPct) rule.duplicateRate = values.dupPct / 100
  return { rule: Object.keys(rule).length ? rule : null, errors: null }
}
