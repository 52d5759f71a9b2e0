import { describe, expect, it } from 'vitest'
import { LockTable } from './lockTable'

describe('LockTable', () => {
  it('shares S locks, queues X behind them, upgrades a lone S holder, wakes waiters on release', () => {
    const t = new LockTable()
    const granted: string[] = []
    expect(t.acquire('a', 'k', 'S', () => {})).toBe(true)
    expect(t.acquire('b', 'k', 'S', () => {})).toBe(true)
    expect(t.acquire('c', 'k', 'X', () => granted.push('c'))).toBe(false)
    expect(t.acquire('a', 'k', 'X', () => granted.push('a'))).toBe(false) // b still shares it
    t.release('b')
    expect(granted).toEqual(['a']) // a's upgrade fits now (c waits for a's S lock)
    expect(t.view()).toEqual([{ key: 'k', txId: 'a', mode: 'X' }])
    t.release('a')
    expect(granted).toEqual(['a', 'c'])
    expect(t.hasEnded('a')).toBe(true)
    t.release('c')
    expect(t.empty).toBe(true)
  })

  it('re-entrant: an X holder gets S and X again at once', () => {
    const t = new LockTable()
    expect(t.acquire('a', 'k', 'X', () => {})).toBe(true)
    expect(t.acquire('a', 'k', 'S', () => {})).toBe(true)
    expect(t.acquire('a', 'k', 'X', () => {})).toBe(true)
    expect(t.acquire('b', 'k', 'S', () => {})).toBe(false)
  })

  it('two write intents on one key doom both; an X lock of another blocks an intent', () => {
    const t = new LockTable()
    expect(t.intend('a', 'k')).toBeNull()
    expect(t.intend('b', 'k')).toBe('a')
    expect([...t.doomed].sort()).toEqual(['a', 'b'])
    t.acquire('c', 'j', 'X', () => {})
    expect(t.intend('d', 'j')).toBe('c')
  })

  it('a cancelled wait is never granted; expired leases are listed', () => {
    const t = new LockTable()
    t.acquire('a', 'k', 'X', () => {})
    const grant = () => {
      throw new Error('cancelled wait granted')
    }
    t.acquire('b', 'k', 'X', grant)
    t.cancel('b', 'k', grant)
    t.renew('a', 100)
    t.renew('b', 300)
    expect(t.expired(200)).toEqual(['a'])
    t.release('a')
    expect(t.view()).toEqual([])
  })
})
