/** Pause/resume the cluster; in the simulator also speed (0.1×–10×) and single-step. */
import { useShallow } from 'zustand/react/shallow'
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
            onClick={() => void cluster.time.step()}
            aria-label="Single step"
          >
            Step
          </button>
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
