/**
 * The open tour: its steps (ticking as the user does them), what each step showed with the live
 * figures, and the closing line. Stays open while the user works the canvas and the side panel.
 */
import { useState } from 'react'
import { useStore } from '../store/store'
import { leaveTour, openTour, tourLink } from './engine'
import { isFinished } from './progress'
import { TOURS, tourById } from './tours'

export function TourPanel() {
  const id = useStore((s) => s.tourActive)
  const p = useStore((s) => (s.tourActive ? s.tourProgress[s.tourActive] : undefined))
  const starting = useStore((s) => s.tourStarting)
  const [collapsed, setCollapsed] = useState(false)
  const [link, setLink] = useState<string | null>(null)
  const tour = id ? tourById(id) : undefined
  if (!tour || !p) return null
  const finished = isFinished(tour, p)
  const next = TOURS[(TOURS.indexOf(tour) + 1) % TOURS.length]
  const current = finished ? null : tour.steps[p.stepIndex]
  return (
    <section
      className={`tour-band tour-panel${collapsed ? ' collapsed' : ''}`}
      aria-label={`Tour: ${tour.title}`}
      data-testid="tour-panel"
      data-tour={tour.id}
    >
      <header className="tour-head">
        <h2>
          <span className="muted">Tour · </span>
          {tour.title}
        </h2>
        <span className="tour-count" data-testid="tour-count" aria-live="polite">
          {starting
            ? 'setting up the cluster…'
            : finished
              ? 'done'
              : `step ${p.stepIndex + 1} of ${tour.steps.length}`}
        </span>
        {collapsed && current && <span className="tour-now">{current.instruction}</span>}
        <span className="tour-actions">
          <button
            type="button"
            className="btn small"
            onClick={() => setCollapsed(!collapsed)}
            aria-expanded={!collapsed}
          >
            {collapsed ? 'Show steps' : 'Hide steps'}
          </button>
          <button
            type="button"
            className="btn small"
            data-testid="tour-restart"
            disabled={starting}
            onClick={() => void openTour(tour.id, { restart: true })}
          >
            Restart
          </button>
          <button
            type="button"
            className="btn small"
            data-testid="tour-share"
            title="A link to this tour: its scenario document, narration included, in the URL fragment"
            onClick={() =>
              void tourLink(tour.id).then((url) => {
                setLink(url)
                if (url) navigator.clipboard?.writeText(url).catch(() => {})
              })
            }
          >
            {link ? 'Link copied ✓' : 'Copy tour link'}
          </button>
          <button type="button" className="btn small" data-testid="tour-leave" onClick={leaveTour}>
            Leave tour
          </button>
        </span>
      </header>
      {link && (
        <input
          className="scenario-link"
          readOnly
          aria-label="Link to this tour"
          data-testid="tour-link"
          value={link}
          onFocus={(e) => e.target.select()}
          onBlur={() => setLink(null)}
        />
      )}
      {!collapsed && (
        <ol className="tour-steps">
          {tour.steps.map((step, i) => {
            const state = i < p.stepIndex ? 'done' : i === p.stepIndex ? 'current' : 'todo'
            return (
              <li
                key={step.id}
                className={`tour-step ${state}`}
                data-testid={`tour-step-${step.id}`}
                data-state={state}
                aria-current={state === 'current' ? 'step' : undefined}
              >
                <span className="tour-mark" aria-hidden="true">
                  {state === 'done' ? '✓' : state === 'current' ? '▶' : '○'}
                </span>
                <span className="tour-text">
                  <span className="sr-only">
                    {state === 'done' ? 'Done: ' : state === 'current' ? 'Now: ' : ''}
                  </span>
                  {/* A done step shows what it showed; its instruction stays one hover away. */}
                  {state === 'done' && p.saw[i] ? (
                    <span className="tour-saw" data-testid={`tour-saw-${step.id}`} title={step.instruction}>
                      {p.saw[i]}
                    </span>
                  ) : (
                    step.instruction
                  )}
                </span>
              </li>
            )
          })}
        </ol>
      )}
      {finished && (
        <p className="tour-summary" data-testid="tour-summary">
          <strong>What you just saw: </strong>
          {tour.summary(p.memo)}{' '}
          <button type="button" className="btn small" onClick={() => void openTour(next.id)}>
            Next: {next.title}
          </button>
        </p>
      )}
    </section>
  )
}
