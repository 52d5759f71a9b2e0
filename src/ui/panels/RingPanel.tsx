/** The consistent-hash ring: each node's tokens as ticks in its colour; a key's position and preference list. */
import { useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { preferenceList, sloppyPreferenceList, tokenOf } from '../../core/ring/hashRing'
import { ringFromJson } from '../../core/ring/ringJson'
import { nodeIdColor } from '../model/colors'
import { displayStatus } from '../model/health'
import { ownershipShares, tokenAngleDeg } from '../model/ringGeometry'
import { useStore } from '../store/store'
import { NodeChip } from './NodeChip'

const C = 130
const R = 100

export function RingPanel() {
  const { ring, rf, sloppy } = useStore(
    useShallow((s) => ({
      ring: s.ring,
      rf: s.options?.replicationFactor ?? 1,
      sloppy: s.options?.sloppyQuorum,
    })),
  )
  // Node health as one string so the selector stays primitive.
  const healthKey = useStore((s) =>
    s.members.map((id) => `${id}=${displayStatus(id, s.snapshots)}`).join(','),
  )
  const [key, setKey] = useState('user:42')
  const hashRing = useMemo(() => (ring ? ringFromJson(ring) : null), [ring])
  const health = useMemo(() => Object.fromEntries(healthKey.split(',').map((p) => p.split('='))), [healthKey])
  const shares = useMemo(() => (ring ? ownershipShares(ring.vnodes) : {}), [ring])
  if (!ring || !hashRing) return <p className="muted">No ring yet.</p>
  const token = key ? tokenOf(key) : null
  const owners = token ? preferenceList(hashRing, key, rf) : []
  const sloppyList = token ? sloppyPreferenceList(hashRing, key, rf, (n) => health[n] === 'up') : null
  const standIns = sloppyList?.targets.filter((t) => t.hintedFor) ?? []
  return (
    <div className="panel" data-testid="ring-panel">
      <h3>
        Hash ring · v{ring.version} · {ring.vnodes.length} tokens
      </h3>
      <svg
        className="ring-svg"
        viewBox="0 0 260 260"
        width="260"
        height="260"
        role="img"
        aria-label="Hash ring"
      >
        <circle cx={C} cy={C} r={R} fill="none" stroke="var(--border)" strokeWidth="10" />
        {ring.vnodes.map(([t, node]) => (
          <line
            key={`${t}-${node}`}
            className="tick"
            x1={C}
            y1={C - R - 9}
            x2={C}
            y2={C - R + 9}
            stroke={nodeIdColor(node)}
            strokeWidth="2.5"
            style={{ transform: `rotate(${tokenAngleDeg(t)}deg)` }}
          >
            <title>
              {node} · {t.slice(0, 10)}…
            </title>
          </line>
        ))}
        {token && (
          <g
            className="key-marker"
            style={{ transform: `rotate(${tokenAngleDeg(token)}deg)` }}
            data-testid="ring-key"
          >
            <line x1={C} y1={C} x2={C} y2={C - R + 12} stroke="var(--text)" strokeDasharray="3 3" />
            <circle cx={C} cy={C - R} r="6" fill="var(--text)" stroke="var(--surface)" strokeWidth="2" />
          </g>
        )}
        <text x={C} y={C - 4} textAnchor="middle" fontSize="12" fill="var(--muted)">
          SHA-1 ring
        </text>
        <text x={C} y={C + 12} textAnchor="middle" fontSize="11" fill="var(--muted)">
          N = {rf}
        </text>
      </svg>
      <div className="legend">
        {Object.entries(shares)
          .sort()
          .map(([n, share]) => (
            <NodeChip key={n} id={n} note={`${Math.round(share * 100)}%`} down={health[n] === 'down'} />
          ))}
      </div>
      <h3>Where does a key live?</h3>
      <div className="form-row">
        <label className="grow">
          Key
          <input
            value={key}
            onChange={(e) => setKey(e.target.value)}
            data-testid="ring-key-input"
            aria-label="Key"
          />
        </label>
      </div>
      {token && (
        <>
          <p className="muted">
            token <code>{token.slice(0, 12)}…</code> at {(tokenAngleDeg(token) / 3.6).toFixed(1)}% of the ring
          </p>
          <p data-testid="pref-list">
            Preference list:{' '}
            {owners.map((o, i) => (
              <NodeChip key={o} id={o} note={`#${i + 1}`} down={health[o] !== 'up'} />
            ))}
          </p>
          {standIns.length > 0 && (
            <p data-testid="standins">
              {sloppy ? 'Stand-ins (sloppy quorum):' : 'Owners down (strict quorum — no stand-ins used):'}{' '}
              {standIns.map((t) => (
                <NodeChip key={t.node} id={t.node} standin note={`for ${t.hintedFor}`} />
              ))}
            </p>
          )}
        </>
      )}
    </div>
  )
}
