/**
 * The data browser's cluster-wide queries (issue #15): every live node's records merged
 * (listRecords: partition and clustering columns, substring filter, offset paging), a range query
 * (getRange of one partition at a level, through a chosen node) and an index query (secondary:
 * every live node; global: the value's owners) that says which nodes answered.
 */
import { useCallback, useEffect, useState } from 'react'
import type { IndexAnswer, RecordsPage } from '../../cluster/types'
import type { ConsistencyLevel } from '../../core/quorum/consistency'
import { useStore } from '../store/store'
import { NodePicker } from './NodePicker'
import { type OpError, opError } from './opErrors'
import { pageStatusOf } from './useLiveNodes'

export const RECORDS_PAGE_ROWS = 10

function short(v: string | null, max = 32): string {
  if (v === null) return '–'
  return v.length > max ? `${v.slice(0, max)}…` : v
}

function levelOpts(level: ConsistencyLevel | 'default'): { level?: ConsistencyLevel } {
  return level === 'default' ? {} : { level }
}

function ErrorLine(props: { error: OpError | null; testId: string }) {
  if (!props.error) return null
  return (
    <p className="field-error" data-testid={props.testId}>
      {props.error.code}: {props.error.message}
    </p>
  )
}

/** listRecords across the cluster: pk / ck columns, a filter, offset paging. */
export function ClusterRecords() {
  const generation = useStore((s) => s.generation)
  const [query, setQuery] = useState('')
  const [applied, setApplied] = useState('')
  const [offset, setOffset] = useState(0)
  const [page, setPage] = useState<RecordsPage | null>(null)
  const [error, setError] = useState<OpError | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the page, filter or cluster changes
  const load = useCallback(async () => {
    const c = useStore.getState().cluster
    if (!c) return
    try {
      setPage(await c.listRecordsPage({ offset, limit: RECORDS_PAGE_ROWS, query: applied || undefined }))
      setError(null)
    } catch (e) {
      setError(opError(e, pageStatusOf))
    }
  }, [offset, applied, generation])
  useEffect(() => void load(), [load])
  const total = page?.total ?? 0
  return (
    <section className="query-section" data-testid="records-panel">
      <h3>All records (every live node, merged)</h3>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault()
          setOffset(0)
          setApplied(query)
        }}
      >
        <label className="grow">
          Filter
          <input
            value={query}
            placeholder="substring of key or value"
            onChange={(e) => setQuery(e.target.value)}
            data-testid="records-filter"
          />
        </label>
        <button type="submit" className="btn">
          Apply
        </button>
        <button type="button" className="btn" onClick={() => void load()} data-testid="records-refresh">
          Refresh
        </button>
      </form>
      <ErrorLine error={error} testId="records-error" />
      <p className="muted" data-testid="records-counts">
        {total === 0
          ? 'No records'
          : `${offset + 1}–${Math.min(offset + RECORDS_PAGE_ROWS, total)} of ${total}`}
        {page && page.skipped.length > 0 ? ` · skipped ${page.skipped.join(', ')} (not up)` : ''}
      </p>
      {page && page.records.length > 0 && (
        <table className="data data-browser" data-testid="records-table">
          <thead>
            <tr>
              <th>partition key</th>
              <th>clustering key</th>
              <th>value</th>
            </tr>
          </thead>
          <tbody>
            {page.records.map(([pk, ck, v]) => (
              <tr key={`${pk}|${ck ?? ''}`}>
                <td title={pk}>{short(pk, 20)}</td>
                <td title={ck ?? ''}>{short(ck, 20)}</td>
                <td title={v}>
                  <code>{short(v)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form-row">
        <button
          type="button"
          className="btn small"
          disabled={offset === 0}
          onClick={() => setOffset(Math.max(0, offset - RECORDS_PAGE_ROWS))}
          data-testid="records-prev"
        >
          Prev
        </button>
        <button
          type="button"
          className="btn small"
          disabled={offset + RECORDS_PAGE_ROWS >= total}
          onClick={() => setOffset(offset + RECORDS_PAGE_ROWS)}
          data-testid="records-next"
        >
          Next
        </button>
      </div>
    </section>
  )
}

/** getRange(pk, start, end) through a node at the browser's level. */
export function RangeQueryForm() {
  const firstMember = useStore((s) => s.members[0] ?? '')
  const level = useStore((s) => s.opLevel)
  const [via, setVia] = useState(firstMember)
  const [pk, setPk] = useState('')
  const [start, setStart] = useState('')
  const [end, setEnd] = useState('~')
  const [rows, setRows] = useState<Array<[string, string]> | null>(null)
  const [error, setError] = useState<OpError | null>(null)
  const run = async () => {
    const c = useStore.getState().cluster
    if (!c) return
    try {
      setRows(await c.getRange(pk, start, end, { ...levelOpts(level), via: via || firstMember }))
      setError(null)
    } catch (e) {
      setRows(null)
      setError(opError(e, pageStatusOf))
    }
  }
  return (
    <section className="query-section" data-testid="range-panel">
      <h3>Range query (one partition, clustering keys from–to, inclusive)</h3>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault()
          void run()
        }}
      >
        <label>
          Partition key
          <input value={pk} onChange={(e) => setPk(e.target.value)} data-testid="range-pk" size={10} />
        </label>
        <label>
          From
          <input
            value={start}
            onChange={(e) => setStart(e.target.value)}
            data-testid="range-start"
            size={6}
          />
        </label>
        <label>
          To
          <input value={end} onChange={(e) => setEnd(e.target.value)} data-testid="range-end" size={6} />
        </label>
        <NodePicker label="Via" value={via} onChange={setVia} testId="range-via" />
        <button type="submit" className="btn primary" disabled={!pk} data-testid="range-run">
          Get range
        </button>
      </form>
      <ErrorLine error={error} testId="range-error" />
      {rows && (
        <p className="muted" data-testid="range-result">
          {rows.length} rows at level {level}
          {rows.length > 0 ? ': ' : ''}
          {rows.map(([ck, v]) => `${ck} = ${short(v, 16)}`).join(' · ')}
        </p>
      )}
    </section>
  )
}

/** queryIndex across the cluster: secondary (every live node) or global (the value's owners). */
export function IndexQueryForm() {
  const options = useStore((s) => s.cluster?.options)
  const level = useStore((s) => s.opLevel)
  const secondary = options?.indexFields ?? []
  const global = options?.globalIndexFields ?? []
  const [kind, setKind] = useState<'secondary' | 'global'>('secondary')
  const fields = kind === 'secondary' ? secondary : global
  const [field, setField] = useState('')
  const [value, setValue] = useState('')
  const [answer, setAnswer] = useState<IndexAnswer | null>(null)
  const [error, setError] = useState<OpError | null>(null)
  const chosen = fields.includes(field) ? field : (fields[0] ?? '')
  const run = async () => {
    const c = useStore.getState().cluster
    if (!c) return
    // A number-looking value also matches JSON numbers: the index keys both by the same text.
    try {
      setAnswer(
        kind === 'secondary'
          ? await c.secondaryQueryDetails(chosen, value)
          : await c.globalQueryDetails(chosen, value, levelOpts(level)),
      )
      setError(null)
    } catch (e) {
      setAnswer(null)
      setError(opError(e, pageStatusOf))
    }
  }
  return (
    <section className="query-section" data-testid="index-panel">
      <h3>Index query</h3>
      {secondary.length === 0 && global.length === 0 ? (
        <p className="muted" data-testid="index-none">
          This cluster indexes no fields. Create one with <code>indexFields</code> or{' '}
          <code>globalIndexFields</code> (values are JSON objects), e.g.{' '}
          <code>playground.createCluster(&#123; numNodes: 5, indexFields: ['name'] &#125;)</code>.
        </p>
      ) : (
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault()
            void run()
          }}
        >
          <label>
            Index
            <select
              value={kind}
              onChange={(e) => setKind(e.target.value as 'secondary' | 'global')}
              data-testid="index-kind"
            >
              <option value="secondary" disabled={secondary.length === 0}>
                secondary (every node)
              </option>
              <option value="global" disabled={global.length === 0}>
                global (owners only)
              </option>
            </select>
          </label>
          <label>
            Field
            <select value={chosen} onChange={(e) => setField(e.target.value)} data-testid="index-field">
              {fields.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
          <label className="grow">
            Value
            <input value={value} onChange={(e) => setValue(e.target.value)} data-testid="index-value" />
          </label>
          <button type="submit" className="btn primary" disabled={!chosen} data-testid="index-run">
            Query
          </button>
        </form>
      )}
      <ErrorLine error={error} testId="index-error" />
      {answer && (
        <div data-testid="index-result">
          <p>
            Keys: <code data-testid="index-keys">{answer.keys.join(', ') || 'none'}</code>
          </p>
          <p className="muted" data-testid="index-answered">
            {kind === 'global' && answer.owners ? `owners ${answer.owners.join(', ')} · ` : ''}
            answered:{' '}
            {answer.answered.map((a) => (a.keys ? `${a.node} (${a.keys.length})` : a.node)).join(', ') ||
              'none'}
            {answer.skipped.length > 0 ? ` · not asked or no answer: ${answer.skipped.join(', ')}` : ''}
          </p>
          {kind === 'secondary' && (
            <p className="muted">
              Each node indexes what it holds, so a result can lag while replication catches up.
            </p>
          )}
        </div>
      )}
    </section>
  )
}
