/** Pause/resume the cluster; in the simulator also speed (0.1×–10×) and single-step. */
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { relTimeText, stepText } from '../model/timeText'
import { useStore } from '../store/store'

const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10]

export function TimeControls() {
  const { cluster, paused, speed } = useStore(
    useShallow((s) => ({ cluster: s.cluster, paused: s.timePaused, speed: s.speed })),
  )
  const setTime = useStore((s) => s.setTime)
  if (!cluster) return null
  const sim = cluster.time.kind === 'virtual'
  const toggle = () => {
    if (cluster.time.paused) cluster.time.resume()
    else cluster.time.pause()
    setTime(cluster.time.paused, cluster.time.speed)
  }
  return (
    <div className="time-controls" title="Time controls">
      <button
        type="button"
        className="btn"
        onClick={toggle}
        aria-label={paused ? 'Resume cluster' : 'Pause cluster'}
        data-testid="time-toggle"
      >
        {paused ? '▶ Resume' : '❚❚ Pause'}
      </button>
      {sim && (
        <>
          <button
            type="button"
            className="btn"
            disabled={!paused}
            title={paused ? 'Run one simulator event' : 'Pause first to single-step'}
            onClick={() => void cluster.time.step().then((info) => useStore.getState().setLastStep(info))}
            aria-label="Single step"
            data-testid="time-step"
          >
            Step
          </button>
          <SimClock />
          <label className="inline-field">
            <span>Speed</span>
            <select
              aria-label="Simulation speed"
              value={speed}
              onChange={(e) => {
                cluster.time.setSpeed(Number(e.target.value))
                setTime(cluster.time.paused, cluster.time.speed)
              }}
            >
              {SPEEDS.map((x) => (
                <option key={x} value={x}>
                  {x}×
                </option>
              ))}
            </select>
          </label>
        </>
      )}
    </div>
  )
}

/** The simulator's virtual clock (time since this cluster started), refreshed 10× a second. */
function SimClock() {
  const cluster = useStore((s) => s.cluster)
  const origin = useStore((s) => s.timeOriginMs)
  const [now, setNow] = useState(() => cluster?.time.nowMs ?? 0)
  useEffect(() => {
    const t = setInterval(() => setNow(cluster?.time.nowMs ?? 0), 100)
    return () => clearInterval(t)
  }, [cluster])
  return (
    <span className="sim-clock" data-testid="sim-clock" title="The simulator's virtual clock">
      virtual t = {relTimeText(now - origin)}
    </span>
  )
}

/** What the last single step ran ("t = 236.008 s deliver replicate node_1 → node_2"). */
export function StepLine() {
  const { step, origin, paused } = useStore(
    useShallow((s) => ({ step: s.lastStep, origin: s.timeOriginMs, paused: s.timePaused })),
  )
  if (!step || !paused) return null
  return (
    <div className="step-line" data-testid="step-line" aria-live="polite">
      Step ran: {stepText(step.tMs, origin, step.ran)}
    </div>
  )
}
