/**
 * SSTables per level as chips (keys, size, key range). Between two polls a compaction is animated:
 * the merged tables stay a moment as fading ghosts heading down, the new ones grow in, and a caption
 * names both ("Compacted 4 tables (L0 #3 #4 #5 #6) into L1 #7").
 */
import { useEffect, useRef, useState } from 'react'
import type { StorageInspection } from '../../core/storage/engine'
import { diffTables, type LevelTable, tableChangeText, tablesOf } from '../model/storageView'

/** How long merged tables stay on screen as ghosts, and how long the caption stays. */
const GHOST_MS = 1800
const CAPTION_MS = 8000

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`
}

function Chip({ t, ghost }: { t: LevelTable; ghost?: boolean }) {
  return (
    <span
      className={`sst sst-chip${ghost ? ' sst-ghost' : ''}`}
      data-testid={ghost ? 'sst-ghost' : 'sst-chip'}
      title={`SSTable #${t.id}: ${t.entries} keys, ${t.bytes} B, keys ${t.minKey} to ${t.maxKey}${ghost ? ' (merged away by a compaction)' : ''}`}
    >
      <strong>#{t.id}</strong> {t.entries} keys · {kb(t.bytes)}
      <small>
        {t.minKey} … {t.maxKey}
      </small>
    </span>
  )
}

export function SstLevels({ node, levels }: { node: string; levels: StorageInspection['levels'] }) {
  const prev = useRef<{ node: string; tables: LevelTable[] } | null>(null)
  const [ghosts, setGhosts] = useState<LevelTable[]>([])
  const [caption, setCaption] = useState<string | null>(null)
  useEffect(() => {
    const tables = tablesOf(levels)
    const before = prev.current
    prev.current = { node, tables }
    if (!before || before.node !== node) {
      setGhosts([])
      setCaption(null)
      return
    }
    const { gone, added } = diffTables(before.tables, tables)
    const text = tableChangeText(gone, added)
    if (text) setCaption(text)
    if (gone.length > 0) setGhosts(gone)
  }, [node, levels])
  useEffect(() => {
    if (ghosts.length === 0) return
    const t = setTimeout(() => setGhosts([]), GHOST_MS)
    return () => clearTimeout(t)
  }, [ghosts])
  useEffect(() => {
    if (!caption) return
    const t = setTimeout(() => setCaption(null), CAPTION_MS)
    return () => clearTimeout(t)
  }, [caption])
  const shown = [...new Set([...levels.map((l) => l.level), ...ghosts.map((g) => g.level)])].sort(
    (a, b) => a - b,
  )
  return (
    <>
      {caption && (
        <p className="storage-change" data-testid="storage-change" role="status">
          {caption}
        </p>
      )}
      {shown.length === 0 && <p className="muted">No tables yet (nothing flushed).</p>}
      {shown.map((level) => {
        const tables = levels.find((l) => l.level === level)?.tables ?? []
        const gone = ghosts.filter((g) => g.level === level)
        return (
          <div key={level}>
            <strong>L{level}</strong>{' '}
            <span className="muted">
              {tables.length} table{tables.length === 1 ? '' : 's'}
            </span>
            <div className="level-bar">
              {gone.map((t) => (
                <Chip key={`ghost-${t.id}`} t={t} ghost />
              ))}
              {tables.map((t) => (
                <Chip key={t.id} t={{ ...t, level }} />
              ))}
            </div>
          </div>
        )
      })}
    </>
  )
}
