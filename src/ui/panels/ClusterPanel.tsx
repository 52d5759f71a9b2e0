/**
 * Cluster actions (the seed's HTTP maintenance routes): add/remove node, transfer rate, rebalance,
 * split, merge, move a partition, hot-spot checks and salting; each explains itself and shows its
 * coded error in words. Running data movements are on top, with their progress.
 */
import { HotSpotActions } from './cluster/HotSpotActions'
import { MembershipActions } from './cluster/MembershipActions'
import { MovesList } from './cluster/MovesList'
import { PartitionActions } from './cluster/PartitionActions'
import { useClusterView } from './cluster/useClusterView'

export function ClusterPanel() {
  const view = useClusterView()
  if (!view) return <p className="muted">No cluster yet.</p>
  const { map } = view
  return (
    <div className="panel cluster-panel" data-testid="cluster-panel">
      <p className="muted">
        {map.partitions.length} {map.strategy} partition{map.partitions.length === 1 ? '' : 's'} · map v
        {map.version}. Every action below moves data before the new map goes into force, so no key becomes
        unreadable; the Ring tab draws the partitions and their heat.
      </p>
      <h3>Data movements</h3>
      <MovesList moves={view.moves} show="active" />
      <MovesList moves={view.moves} show="recent" />
      <h3>Nodes and moves</h3>
      <MembershipActions rateBytesPerSec={view.rateBytesPerSec} />
      <h3>Partitions</h3>
      <PartitionActions map={map} />
      <h3>Hot spots</h3>
      <HotSpotActions hotKeys={view.hotKeys} />
    </div>
  )
}
