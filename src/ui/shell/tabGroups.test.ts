/** The side panel's groups hold every tab exactly once, so no panel becomes unreachable. */
import { describe, expect, it } from 'vitest'
import { TABS } from '../store/uiSlice'
import { TAB_GROUPS } from './SidePanel'

describe('side panel tab groups', () => {
  it('list every tab once', () => {
    const grouped = TAB_GROUPS.flatMap((g) => g.tabs)
    expect([...grouped].sort()).toEqual([...TABS].sort())
    expect(new Set(grouped).size).toBe(grouped.length)
  })
})
