import { describe, expect, it } from 'vitest'
import { dbError } from '../../core/errors'
import { txProblem } from './txWords'

describe('txProblem', () => {
  it('puts a conflict and a lock timeout in words and keeps the code and message', () => {
    const c = txProblem(dbError('TX_CONFLICT', '"k" was changed by a commit after this transaction read it'))
    expect(c.code).toBe('TX_CONFLICT')
    expect(c.words).toMatch(/^conflict: another transaction changed/)
    expect(c.words).toContain('"k" was changed')
    expect(txProblem(dbError('LOCK_TIMEOUT', 'x')).words).toMatch(/stayed locked by another transaction/)
  })
  it('puts a snapshot too old in words', () => {
    const w = txProblem(dbError('TX_SNAPSHOT_TOO_OLD', '"k" changed after this transaction\'s snapshot'))
    expect(w.words).toMatch(/^snapshot too old: a key changed after this transaction's snapshot/)
    expect(w.words).toContain('begin a new transaction')
  })
  it('falls back to the message for other codes', () => {
    expect(txProblem(dbError('BAD_INPUT', 'values are strings')).words).toBe('values are strings')
  })
})
