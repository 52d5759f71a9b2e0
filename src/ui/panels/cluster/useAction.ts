/** One cluster action's state: busy, its last result in words, or its coded error in words. */
import { useCallback, useState } from 'react'
import type { Cluster } from '../../../cluster/types'
import { type ActionError, actionError } from '../../model/actionErrors'
import { useStore } from '../../store/store'

export interface ActionState {
  busy: boolean
  error: ActionError | null
  note: string | null
}

const IDLE: ActionState = { busy: false, error: null, note: null }

/** `run(what, fn)`: runs `fn` on the live cluster; its string result becomes the note. */
export function useAction(): [ActionState, (what: string, fn: (c: Cluster) => unknown) => Promise<void>] {
  const [state, setState] = useState<ActionState>(IDLE)
  const run = useCallback(async (what: string, fn: (c: Cluster) => unknown) => {
    const c = useStore.getState().cluster
    if (!c) return
    setState({ busy: true, error: null, note: null })
    try {
      const out = await fn(c)
      setState({ busy: false, error: null, note: typeof out === 'string' ? out : null })
    } catch (e) {
      setState({ busy: false, error: actionError(what, e), note: null })
    } finally {
      const s = useStore.getState()
      s.syncMembers()
      s.syncFaults()
      const ring = s.cluster?.getRing()
      if (ring && ring.version !== s.ring?.version) s.setRing(ring)
    }
  }, [])
  return [state, run]
}
