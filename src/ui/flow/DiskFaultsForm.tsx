/**
 * The node menu's "Disk faults" section: what the node's disk does to its writes (slow commits, a
 * rate of aborted commits, a disk that fills up, a torn WAL record when the node is killed), with
 * the refused commits counted. Values are checked by the same rules as the API (mergeDiskFaults);
 * an invalid one shows its reason inline and nothing is applied.
 */
import { useEffect, useState } from 'react'
import { type DiskFaults, mergeDiskFaults, NO_DISK_FAULTS, noDiskFaults } from '../../core/disk/faultyDisk'
import { toErrorData } from '../../core/errors'
import { setDiskFaults } from '../actions'
import { useStore } from '../store/store'

interface Draft {
  delay: string
  failPct: string
  quotaKiB: string
  torn: boolean
}

function draftOf(f: DiskFaults): Draft {
  return {
    delay: String(f.commitDelayMs),
    failPct: String(Math.round(f.commitFailRate * 1000) / 10),
    quotaKiB: f.quotaBytes === null ? '' : String(Math.round(f.quotaBytes / 1024)),
    torn: f.tornTailOnKill,
  }
}

/** The draft as a fault update, or the reason it is not one (in words). */
function parse(d: Draft): { faults: DiskFaults } | { error: string } {
  const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s))
  const failPct = num(d.failPct)
  if (!Number.isFinite(failPct) || failPct < 0 || failPct > 100)
    return { error: 'Failing commits is a percentage from 0 to 100.' }
  const quota = d.quotaKiB.trim() === '' ? null : num(d.quotaKiB)
  if (quota !== null && (!Number.isFinite(quota) || quota < 0))
    return { error: 'Disk full after: a size in KiB ≥ 0, or empty for no limit.' }
  try {
    return {
      faults: mergeDiskFaults(NO_DISK_FAULTS, {
        commitDelayMs: num(d.delay),
        commitFailRate: failPct / 100,
        quotaBytes: quota === null ? null : Math.round(quota * 1024),
        tornTailOnKill: d.torn,
      }),
    }
  } catch (e) {
    return { error: toErrorData(e).message.replace(/^[A-Z_]+: /, '') }
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

export function DiskFaultsForm({ id }: { id: string }) {
  const info = useStore((s) => s.snapshots[id]?.diskFaults)
  const current = info?.faults ?? NO_DISK_FAULTS
  const [draft, setDraft] = useState<Draft>(() => draftOf(current))
  const [error, setError] = useState<string | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the draft when another node's menu opens
  useEffect(() => setDraft(draftOf(current)), [id])
  const stats = info?.stats
  const apply = (faults: DiskFaults) => {
    setError(null)
    void setDiskFaults(id, faults)
  }
  return (
    <form
      className="inline-form disk-faults"
      noValidate
      data-testid="disk-faults"
      onSubmit={(e) => {
        e.preventDefault()
        const r = parse(draft)
        if ('error' in r) setError(r.error)
        else apply(r.faults)
      }}
    >
      <details open={!noDiskFaults(current) || undefined}>
        <summary data-testid="disk-faults-toggle">Disk faults…</summary>
        <p className="muted small">
          What this node's IndexedDB does to its commits. A refused commit fails its writes with a coded
          error; nothing acknowledged is lost.
        </p>
        <label>
          Slow commits (+ms)
          <input
            type="number"
            min={0}
            value={draft.delay}
            onChange={(e) => setDraft({ ...draft, delay: e.target.value })}
            data-testid="disk-delay"
          />
        </label>
        <label>
          Failing commits (%)
          <input
            type="number"
            min={0}
            max={100}
            value={draft.failPct}
            onChange={(e) => setDraft({ ...draft, failPct: e.target.value })}
            data-testid="disk-fail"
          />
        </label>
        <label>
          Disk full after (KiB)
          <input
            type="number"
            min={0}
            placeholder="no limit"
            value={draft.quotaKiB}
            onChange={(e) => setDraft({ ...draft, quotaKiB: e.target.value })}
            data-testid="disk-quota"
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.torn}
            onChange={(e) => setDraft({ ...draft, torn: e.target.checked })}
            data-testid="disk-torn"
          />
          Torn WAL record on kill
        </label>
        {error && (
          <p className="field-error" role="alert" data-testid="disk-error">
            {error}
          </p>
        )}
        <div className="menu-buttons">
          <button type="submit" className="btn" data-testid="disk-apply">
            Apply
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDraft(draftOf(NO_DISK_FAULTS))
              apply(NO_DISK_FAULTS)
            }}
          >
            Heal disk
          </button>
        </div>
        {stats && (
          <p className="muted small" data-testid="disk-stats">
            Since the node started: {plural(stats.failedCommits, 'commit')} aborted · {stats.quotaRefusals}{' '}
            refused (disk full) · {stats.delayedCommits} delayed · {stats.tornTails} torn on kill
          </p>
        )}
      </details>
    </form>
  )
}
