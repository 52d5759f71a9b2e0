/**
 * Polls the cluster's partition map, op counts, moves, hot keys and transfer rate while a panel is
 * open (4 times a second; every 100 ms while a move runs, so its bar moves). Re-renders only on change.
 */
import { useEffect, useState } from 'react'
import type { MovesView } from '../../../cluster/moveProgress'
import type { Cluster } from '../../../cluster/types'
import type { PartitionMap } from '../../../core/ring/placement'
import { useStore } from '../../store/store'

export interface ClusterView {
  map: PartitionMap
  stats: Record<number, number>
  moves: MovesView
  hotKeys: Array<[string, number]>
  rateBytesPerSec: number
}

function read(c: Cluster): ClusterView {
  return {
    map: c.getPartitionMap(),
    stats: c.getPartitionStats(),
    moves: c.getMoves(),
    hotKeys: c.getHotKeys(5),
    rateBytesPerSec: c.getMaxTransferRate(),
  }
}

export function useClusterView(): ClusterView | null {
  const cluster = useStore((s) => s.cluster)
  const [view, setView] = useState<ClusterView | null>(null)
  useEffect(() => {
    setView(null)
    if (!cluster) return
    let last = ''
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = () => {
      let next: ClusterView | null = null
      try {
        next = read(cluster)
      } catch {
        // cluster shut down: keep the last view
      }
      if (next) {
        const text = JSON.stringify(next)
        if (text !== last) {
          last = text
          setView(next)
        }
      }
      timer = setTimeout(poll, next && next.moves.active.length > 0 ? 100 : 250)
    }
    poll()
    return () => clearTimeout(timer)
  }, [cluster])
  return view
}
