/** A select of the cluster's nodes. */
import { useMembers } from './useLiveNodes'

export function NodePicker(props: {
  label: string
  value: string
  onChange: (id: string) => void
  testId?: string
}) {
  const members = useMembers()
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        {members.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
    </label>
  )
}
