import { describe, expect, it } from 'vitest'
import { checkWhole } from './fieldRules'

describe('workload number fields', () => {
  it('accepts whole numbers in range and names the rule otherwise (no clamping)', () => {
    expect(checkWhole('250', 'Rate', 1, 20000)).toEqual({ value: 250, error: null })
    expect(checkWhole('0', 'Rate', 1, 20000).error).toBe('Rate must be a whole number from 1 to 20000, got 0')
    expect(checkWhole('99999', 'Rate', 1, 20000).value).toBeNull()
    expect(checkWhole('2.5', 'Rate', 1, 20000).error).toContain('got "2.5"')
    expect(checkWhole('', 'Rate', 1, 20000).error).toContain('empty')
  })
})
