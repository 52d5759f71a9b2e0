/** Ids of nodes whose snapshot says they are up (as a stable, comma-joined selector). */
import { useStore } from '../store/store'

export function useLiveNodes(): string[] {
  const joined = useStore((s) => s.members.filter((id) => s.snapshots[id]?.status === 'up').join(','))
  return joined ? joined.split(',') : []
}

export function useMembers(): string[] {
  const joined = useStore((s) => s.members.join(','))
  return joined ? joined.split(',') : []
}
