/**
 * The partitions drawn inside the ring's SVG: an outer band coloured by each partition's owner, an
 * inner band whose strength is its heat (client ops vs the mean), a dashed pulse on partitions a
 * running move is copying, and the selected one outlined. Clicking a partition selects it.
 */
import { nodeIdColor } from '../../model/colors'
import { arcPath, type PartitionArc } from '../../model/partitionView'

// Inside the token ticks (radius 91–109), so a ring cluster's ticks stay readable.
const OWNER_R0 = 76
const OWNER_R1 = 89
const HEAT_R0 = 58
const HEAT_R1 = 72

export function PartitionBands(props: {
  cx: number
  cy: number
  arcs: readonly PartitionArc[]
  selected: number | null
  onSelect(id: number): void
}) {
  const { cx, cy, arcs, selected, onSelect } = props
  const maxHeat = Math.max(2, ...arcs.map((a) => a.heat))
  return (
    <g className="partition-bands">
      <circle
        cx={cx}
        cy={cy}
        r={(HEAT_R0 + HEAT_R1) / 2}
        fill="none"
        stroke="var(--surface-2)"
        strokeWidth={HEAT_R1 - HEAT_R0}
      />
      {arcs.map((a) => (
        // A pointer shortcut: the partition table below is the keyboard and screen-reader way to select.
        <g
          key={a.id}
          className={`partition-arc${a.moving ? ' moving' : ''}${a.id === selected ? ' selected' : ''}`}
          data-testid={`partition-arc-${a.id}`}
          data-owner={a.owner}
          data-moving={a.moving ? 'true' : 'false'}
          onClick={() => onSelect(a.id)}
        >
          <path
            d={arcPath(cx, cy, OWNER_R0, OWNER_R1, a.start, a.end)}
            fill={nodeIdColor(a.owner)}
            stroke="var(--surface)"
            strokeWidth="1"
          />
          <path
            d={arcPath(cx, cy, HEAT_R0, HEAT_R1, a.start, a.end)}
            fill="var(--danger)"
            fillOpacity={a.heat > 0 ? 0.12 + (0.88 * Math.min(a.heat, maxHeat)) / maxHeat : 0}
            stroke={a.hot ? 'var(--danger)' : 'none'}
            strokeWidth="1.5"
          />
          {a.moving && (
            <path
              className="moving-outline"
              d={arcPath(cx, cy, OWNER_R0 - 3, OWNER_R1 + 3, a.start, a.end)}
              fill="none"
              stroke={nodeIdColor(a.moving.to[0] ?? a.owner)}
              strokeWidth="2.5"
              strokeDasharray="4 3"
            />
          )}
          {a.id === selected && (
            <path
              d={arcPath(cx, cy, HEAT_R0 - 2, OWNER_R1 + 2, a.start, a.end)}
              fill="none"
              stroke="var(--text)"
              strokeWidth="2"
            />
          )}
          <title>
            Partition {a.id} {a.label} on {a.owner} · {a.ops} ops
            {a.moving ? ` · moving to ${a.moving.to.join(', ')}` : ''}
          </title>
        </g>
      ))}
    </g>
  )
}
