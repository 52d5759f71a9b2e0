/** One cluster action: a title, what it does in a sentence, its controls, and its result or coded error. */
import type { ActionState } from './useAction'

export function ActionCard(props: {
  title: string
  explain: string
  state: ActionState
  testId: string
  children: React.ReactNode
}) {
  const { state } = props
  return (
    <section className="action-card" data-testid={props.testId} aria-label={props.title}>
      <h4>{props.title}</h4>
      <p className="action-explain">{props.explain}</p>
      <div className="action-controls">{props.children}</div>
      {state.error && (
        <p
          className="action-error"
          role="alert"
          data-testid={`${props.testId}-error`}
          title={state.error.raw}
        >
          <code className="code">{state.error.code}</code> {state.error.text}
        </p>
      )}
      {state.note && !state.error && (
        <p className="action-note" role="status" data-testid={`${props.testId}-note`}>
          {state.note}
        </p>
      )}
    </section>
  )
}
