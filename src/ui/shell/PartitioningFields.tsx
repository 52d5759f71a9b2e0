/** The setup form's partitioning options: strategy, hash partitions, range boundaries, transfer rate. */
import { Field } from './SetupField'
import type { SetupField, SetupValues } from './setupForm'

const STRATEGY_HINT: Record<SetupValues['partitionStrategy'], string> = {
  ring: 'consistent hashing: each node holds 16 token arcs',
  hash: 'sha1(key) mod partitions; partition p starts on node p mod n',
  range: 'contiguous key ranges; split and merge them while running',
}

export function PartitioningFields(props: {
  v: SetupValues
  set: <K extends keyof SetupValues>(k: K, x: SetupValues[K]) => void
  error: { field: SetupField; message: string } | null
}) {
  const { v, set, error } = props
  const text = (k: 'numPartitions' | 'rangeBoundaries' | 'maxTransferRate', numeric: boolean) =>
    function render(id: string, invalid: boolean) {
      return (
        <input
          id={id}
          type={numeric ? 'number' : 'text'}
          inputMode={numeric ? 'numeric' : undefined}
          value={v[k]}
          placeholder={numeric ? 'default' : undefined}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${id}-err` : undefined}
          data-testid={`setup-${k}`}
          onChange={(e) => set(k, e.target.value)}
        />
      )
    }
  return (
    <fieldset className="topology" data-testid="setup-partitioning">
      <legend>Partitioning</legend>
      <div className="grid2">
        <Field
          label="Strategy"
          field="partitionStrategy"
          error={error}
          hint={STRATEGY_HINT[v.partitionStrategy]}
        >
          {(id) => (
            <select
              id={id}
              value={v.partitionStrategy}
              data-testid="setup-partitionStrategy"
              onChange={(e) => set('partitionStrategy', e.target.value as SetupValues['partitionStrategy'])}
            >
              <option value="ring">ring (consistent hashing)</option>
              <option value="hash">hash (fixed partitions)</option>
              <option value="range">range (key ranges)</option>
            </select>
          )}
        </Field>
        {v.partitionStrategy === 'hash' && (
          <Field label="Partitions" field="numPartitions" error={error} hint="default 128">
            {text('numPartitions', true)}
          </Field>
        )}
        {v.partitionStrategy === 'range' && (
          <Field
            label="Range boundaries"
            field="rangeBoundaries"
            error={error}
            hint="comma-separated, sorted: “g, n, t” = 4 ranges"
          >
            {text('rangeBoundaries', false)}
          </Field>
        )}
        <Field
          label="Transfer rate (bytes/s)"
          field="maxTransferRate"
          error={error}
          hint="caps data movement; blank = unlimited"
        >
          {text('maxTransferRate', true)}
        </Field>
      </div>
    </fieldset>
  )
}
