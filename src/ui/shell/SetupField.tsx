/** One labelled field of the setup form, with its inline error or hint. */
import { useId } from 'react'
import type { SetupField } from './setupForm'

export function Field(props: {
  label: string
  field: SetupField
  error: { field: SetupField; message: string } | null
  hint?: string
  children: (id: string, invalid: boolean) => React.ReactNode
}) {
  const id = useId()
  const invalid = props.error?.field === props.field
  return (
    <div className={`field${invalid ? ' invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, invalid)}
      {invalid ? (
        <p className="field-error" role="alert" id={`${id}-err`} data-testid={`error-${props.field}`}>
          {props.error?.message}
        </p>
      ) : props.hint ? (
        <p className="field-hint">{props.hint}</p>
      ) : null}
    </div>
  )
}
