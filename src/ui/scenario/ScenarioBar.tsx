/**
 * The scenario bar: the run being recorded (steps, trace hash), "Copy link", export and import, and
 * in the simulator the timeline scrubber: drag back to any earlier moment (the run is replayed to
 * it), forward again, or act there to branch a new run.
 */
import { useEffect, useRef, useState } from 'react'
import { shortHash } from '../../scenario/traceHash'
import { relTimeText } from '../model/timeText'
import { useStore } from '../store/store'
import { copyLink, exportFile, importFile } from './link'
import { branchHere, seek } from './session'

export function ScenarioBar() {
  const v = useStore((s) => s.scenario)
  const [copied, setCopied] = useState(false)
  const fileRef = useRef<HTMLInputElement>(null)
  const [drag, setDrag] = useState<number | null>(null)
  const pending = useRef<number | null>(null)
  const seeking = useRef(false)
  // One scrub at a time; the latest position wins.
  const request = (t: number) => {
    pending.current = t
    if (seeking.current) return
    seeking.current = true
    void (async () => {
      while (pending.current !== null) {
        const next = pending.current
        pending.current = null
        await seek(next).catch(() => {})
      }
      seeking.current = false
      setDrag(null)
      useStore.getState().setScrubMs(null)
    })()
  }
  useEffect(() => {
    if (!copied) return
    const t = setTimeout(() => setCopied(false), 2500)
    return () => clearTimeout(t)
  }, [copied])
  if (!v.runtime) return null
  const sim = v.runtime === 'sim'
  const at = drag ?? v.cursorMs ?? v.endMs
  return (
    <section
      className="scenario-bar"
      aria-label="Scenario: recording, link, time travel"
      data-testid="scenario-bar"
    >
      <span className="scenario-title">
        {v.cursorMs !== null ? 'Time travel' : v.replayOf ? `Replay (from ${v.replayOf})` : 'Recording'}
      </span>
      <span className="muted" data-testid="scenario-steps" title="Actions recorded in this run">
        {v.steps} step{v.steps === 1 ? '' : 's'}
        {v.skipped > 0 ? ` · ${v.skipped} not recordable` : ''}
      </span>
      {sim && v.hash && (
        <span
          className="scenario-hash"
          data-testid="trace-hash"
          data-hash={v.hash}
          data-at-ms={v.hashAtMs}
          title={`Trace hash (SHA-256 of every message and event, in order) at ${relTimeText(v.hashAtMs)}: ${v.hash}. The same scenario gives the same hash on every replay.`}
        >
          trace <code>{shortHash(v.hash)}</code>
        </span>
      )}
      <button
        type="button"
        className="btn"
        data-testid="copy-link"
        title="Copy a link that replays this run (the scenario rides in the URL fragment; nothing leaves the browser)"
        onClick={() => void copyLink().then((u) => setCopied(u !== null))}
      >
        {copied ? 'Link copied ✓' : 'Copy link'}
      </button>
      <button type="button" className="btn" data-testid="export-scenario" onClick={() => void exportFile()}>
        Export
      </button>
      <button
        type="button"
        className="btn"
        data-testid="import-scenario"
        onClick={() => fileRef.current?.click()}
      >
        Import…
      </button>
      <input
        ref={fileRef}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="import-file"
        onChange={(e) => {
          const f = e.target.files?.[0]
          e.target.value = ''
          if (f) void importFile(f)
        }}
      />
      {sim && (
        <label className="scenario-scrub">
          <span className="muted">Timeline</span>
          <input
            type="range"
            aria-label="Timeline: move back to an earlier moment of the run"
            data-testid="timeline-scrubber"
            min={0}
            max={Math.max(1, Math.round(v.endMs))}
            step={1}
            value={Math.round(at)}
            disabled={v.busy !== null && drag === null}
            onChange={(e) => {
              const t = Number(e.target.value)
              setDrag(t)
              useStore.getState().setScrubMs(t)
              request(t)
            }}
          />
          <span className="mono" data-testid="timeline-at" data-at-ms={at}>
            {relTimeText(at)}
            {v.cursorMs !== null ? ` of ${relTimeText(v.endMs)}` : ''}
          </span>
        </label>
      )}
      {sim && v.cursorMs !== null && (
        <button
          type="button"
          className="btn"
          data-testid="branch-here"
          title="Drop what came after this moment and go on from here (any action or Resume does it too)"
          onClick={branchHere}
        >
          Branch here
        </button>
      )}
      {v.busy && (
        <span className="muted" data-testid="scenario-busy" aria-live="polite">
          {v.busy}
        </span>
      )}
      {v.lastSeekMs !== null && !v.busy && (
        <span
          className="muted"
          data-testid="seek-ms"
          data-from-ms={v.lastSeekFromMs ?? ''}
          title={`Real time the last move along the timeline took (replayed from t = ${relTimeText(v.lastSeekFromMs ?? 0)}: a checkpoint, or the run shown before)`}
        >
          moved in {Math.round(v.lastSeekMs)} ms
        </span>
      )}
      {v.note && (
        <span className="scenario-note" data-testid="scenario-note">
          {v.note}
        </span>
      )}
      {v.divergence && (
        <span
          className={`scenario-note scenario-divergence ${v.divergence.state}`}
          data-testid="scenario-divergence"
          data-state={v.divergence.state}
          data-step={v.divergence.step ?? ''}
          aria-live="polite"
        >
          {v.divergence.text}
        </span>
      )}
      {v.link && copied && (
        <input
          className="scenario-link"
          readOnly
          aria-label="Link to this run"
          data-testid="scenario-link"
          data-hash={v.link.hash ?? ''}
          value={v.link.url}
          onFocus={(e) => e.target.select()}
        />
      )}
    </section>
  )
}
