/** Ids of nodes whose snapshot says they are up (as a stable, comma-joined selector). */
import { type DisplayStatus, displayStatus } from '../model/health'
import { useStore } from '../store/store'

export function useLiveNodes(): string[] {
  const joined = useStore((s) => s.members.filter((id) => s.snapshots[id]?.status === 'up').join(','))
  return joined ? joined.split(',') : []
}

export function useMembers(): string[] {
  const joined = useStore((s) => s.members.join(','))
  return joined ? joined.split(',') : []
}

/** Node status as the page shows it (for naming down owners in error messages). */
export function pageStatusOf(id: string): DisplayStatus | undefined {
  const s = useStore.getState().snapshots
  return s[id] ? displayStatus(id, s) : undefined
}
