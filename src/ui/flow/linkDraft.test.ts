import { describe, expect, it } from 'vitest'
import { draftToRule, toDraft } from './linkDraft'

describe('the link panel form', () => {
  it('turns valid text into a rule, and a clean form into no rule', () => {
    expect(draftToRule({ cut: true, latencyMs: '120', jitterMs: '0', lossPct: '30', dupPct: '0' })).toEqual({
      rule: { cut: true, latencyMs: 120, lossRate: 0.3 },
      errors: null,
    })
    expect(draftToRule(toDraft(undefined))).toEqual({ rule: null, errors: null })
  })

  it('names each invalid field instead of clamping it (loss 150% is not 100%)', () => {
    const r = draftToRule({ cut: false, latencyMs: '-5', jitterMs: 'abc', lossPct: '150', dupPct: '' })
    expect(r.rule).toBeNull()
    expect(r.errors).toEqual({
      latencyMs: 'Latency ms must be a whole number from 0 to 60000, got -5',
      jitterMs: 'Jitter ms must be a whole number from 0 to 60000, got "abc"',
      lossPct: 'Loss % must be a whole number from 0 to 100, got 150',
      dupPct: 'Duplicate % must be a whole number from 0 to 100 (it is empty)',
    })
  })
})
