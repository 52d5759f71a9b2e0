/** "Faults in effect": one chip per rule in force, with its age and an undo (Chaos Mesh's fault list). */
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { undoFault } from '../actions'
import { ageText, startedAt } from '../model/faultsInEffect'
import { useStore } from '../store/store'

/** Re-renders once a second so the ages count up. */
function useNowMs(): number {
  const [now, setNow] = useState(() => performance.now())
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 1000)
    return () => clearInterval(t)
  }, [])
  return now
}

export function FaultsStrip() {
  const { chips, windows } = useStore(useShallow((s) => ({ chips: s.faultChips, windows: s.faultWindows })))
  const lamport = useStore((s) => s.options?.timestampSource === 'lamport')
  const now = useNowMs()
  return (
    <section className="faults-strip" aria-label="Faults in effect" data-testid="faults-strip">
      <span className="faults-title">Faults in effect</span>
      {chips.length === 0 ? (
        <span className="muted" data-testid="faults-none">
          none — drag a node to another zone or the kill area, or click a link
        </span>
      ) : (
        <ul className="fault-chips">
          {chips.map((c) => {
            const since = startedAt(windows, c.key)
            return (
              <li
                key={c.key}
                className={`fault-chip fault-${c.kind}`}
                data-testid="fault-chip"
                data-kind={c.kind}
              >
                <span className="fault-label">{c.label}</span>
                {c.kind === 'skew' && lamport && (
                  <span
                    className="fault-age"
                    title="Versions use Lamport timestamps, which ignore wall clocks: a skewed clock changes no write's outcome. Create a cluster with timestampSource 'wallclock' to see skew decide last-writer-wins."
                  >
                    no effect on versions (Lamport clocks)
                  </span>
                )}
                {since !== null && <span className="fault-age">{ageText(now - since)}</span>}
                <button
                  type="button"
                  className="fault-undo"
                  aria-label={`Undo: ${c.undoLabel} (${c.label})`}
                  title={`Undo: ${c.undoLabel}`}
                  data-testid="fault-undo"
                  onClick={() => void undoFault(c.undo)}
                >
                  ↺ {c.undoLabel}
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
