/** Coded errors and notices, dismissible; plus the long-operation progress bar. */
import { useShallow } from 'zustand/react/shallow'
import { useStore } from '../store/store'
import { NodeFailureBanners } from './NodeFailureBanners'

export function Banners() {
  const { error, notice, progress } = useStore(
    useShallow((s) => ({ error: s.error, notice: s.notice, progress: s.progress })),
  )
  const setError = useStore((s) => s.setError)
  const setNotice = useStore((s) => s.setNotice)
  return (
    <div className="banners" aria-live="polite">
      <NodeFailureBanners />
      {error && (
        <div className="banner error" role="alert" data-testid="error-banner">
          <code>{error.code}</code> {error.message}
          <button
            type="button"
            className="icon-btn"
            aria-label="Dismiss error"
            onClick={() => setError(null)}
          >
            ×
          </button>
        </div>
      )}
      {notice && (
        <div className="banner notice" data-testid="notice-banner">
          {notice}
          <button
            type="button"
            className="icon-btn"
            aria-label="Dismiss notice"
            onClick={() => setNotice(null)}
          >
            ×
          </button>
        </div>
      )}
      {progress && (
        <div className="banner progress" data-testid="progress">
          <span>
            {progress.label} — {progress.done}/{progress.total}
          </span>
          <progress max={progress.total} value={progress.done} aria-label={progress.label} />
        </div>
      )}
    </div>
  )
}
