/** A node id with its colour dot; dashed when it stands in for another node. */
import { nodeIdColor } from '../model/colors'

export function NodeChip({
  id,
  note,
  standin,
  down,
}: {
  id: string
  note?: string
  standin?: boolean
  down?: boolean
}) {
  return (
    <span
      className={`node-chip${standin ? ' standin' : ''}${down ? ' down' : ''}`}
      style={{ ['--chip-color' as string]: nodeIdColor(id) }}
      data-testid="node-chip"
    >
      {id}
      {note ? <small> {note}</small> : null}
    </span>
  )
}
