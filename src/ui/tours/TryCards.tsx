/** The "Try this" cards along the top of the canvas: one per tour, with its progress; dismissible. */
import { useStore } from '../store/store'
import { openTour, setCardsHidden } from './engine'
import { isFinished } from './progress'
import { TOURS } from './tours'

export function TryCards() {
  const hidden = useStore((s) => s.tourCardsHidden)
  const progress = useStore((s) => s.tourProgress)
  const starting = useStore((s) => s.tourStarting)
  if (hidden) return null
  return (
    <section className="tour-band try-strip" aria-label="Try this: guided tours" data-testid="try-cards">
      <div className="try-head">
        <span className="try-label">Try this</span>
        <span className="try-sub">
          guided tours of 4–5 steps: each ticks as you do it on the live cluster
        </span>
        <button
          type="button"
          className="icon-btn try-dismiss"
          aria-label="Hide the tours"
          data-testid="try-dismiss"
          onClick={() => setCardsHidden(true)}
        >
          ×
        </button>
      </div>
      <ul className="try-list">
        {TOURS.map((t) => {
          const p = progress[t.id]
          const state = !p
            ? ''
            : isFinished(t, p)
              ? 'Done ✓'
              : p.stepIndex > 0
                ? `Resume · ${p.stepIndex}/${t.steps.length}`
                : ''
          return (
            <li key={t.id}>
              <button
                type="button"
                className="try-card"
                disabled={starting}
                data-testid={`try-${t.id}`}
                onClick={() => void openTour(t.id)}
                title={t.blurb}
              >
                <strong>{t.title}</strong>
                <span className="try-blurb">{t.blurb}</span>
                {state && <span className="try-state">{state}</span>}
              </button>
            </li>
          )
        })}
      </ul>
    </section>
  )
}

/** A small button that brings the cards back once dismissed. */
export function ShowToursButton() {
  const hidden = useStore((s) => s.tourCardsHidden)
  const active = useStore((s) => s.tourActive)
  const enabled = useStore((s) => s.toursOn)
  if (!hidden || active || !enabled) return null
  return (
    <button
      type="button"
      className="btn show-tours"
      data-testid="show-tours"
      onClick={() => setCardsHidden(false)}
    >
      Guided tours
    </button>
  )
}
