/** Every partition: id (a button that selects it), range, owners and heat. */
import type { PartitionArc } from '../../model/partitionView'
import { NodeChip } from '../NodeChip'

export function PartitionTable(props: {
  arcs: readonly PartitionArc[]
  selected: number | null
  onSelect(id: number): void
}) {
  const maxOps = Math.max(1, ...props.arcs.map((a) => a.ops))
  return (
    <div className="partition-table-wrap">
      <table className="data partition-table" data-testid="partition-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Keys</th>
            <th scope="col">Owner</th>
            <th scope="col">Ops</th>
          </tr>
        </thead>
        <tbody>
          {props.arcs.map((a) => (
            <tr
              key={a.id}
              className={a.id === props.selected ? 'selected' : undefined}
              data-testid={`partition-row-${a.id}`}
            >
              <td>
                <button
                  type="button"
                  className="link-btn"
                  aria-pressed={a.id === props.selected}
                  aria-label={`Partition ${a.id}`}
                  onClick={() => props.onSelect(a.id)}
                >
                  {a.id}
                </button>
              </td>
              <td>{a.label}</td>
              <td>
                <NodeChip id={a.owner} note={a.moving ? `→ ${a.moving.to.join(', ')}` : undefined} />
              </td>
              <td>
                <span className="heat-cell">
                  <span className="heat-bar" style={{ width: `${(a.ops / maxOps) * 48}px` }} />
                  <span>
                    {a.ops}
                    {a.hot ? ' hot' : ''}
                  </span>
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
