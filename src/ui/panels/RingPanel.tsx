/**
 * The ring: partitions as arcs coloured by owner with their heat inside (all three strategies; the
 * consistent-hash ring also shows each node's tokens as ticks), moves in progress, a partition's
 * details and actions, and a key's position and preference list.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { preferenceList, sloppyPreferenceList } from '../../core/ring/hashRing'
import { ringFromJson } from '../../core/ring/ringJson'
import { positionOf } from '../../core/ring/tokens'
import { nodeIdColor } from '../model/colors'
import { displayStatus } from '../model/health'
import { ownerShares, partitionArcs } from '../model/partitionView'
import { ownershipShares, tokenAngleDeg } from '../model/ringGeometry'
import { useStore } from '../store/store'
import { MovesList } from './cluster/MovesList'
import { useClusterView } from './cluster/useClusterView'
import { NodeChip } from './NodeChip'
import { PartitionBands } from './partitions/PartitionBands'
import { PartitionDetails } from './partitions/PartitionDetails'
import { PartitionTable } from './partitions/PartitionTable'

const C = 130
const R = 100

/**
 * Tokens that just appeared (a node joined), mapped to the angle of the token whose range they split:
 * they are drawn there first and then glide to their own place, so a join visibly carves up the ring.
 * A token that left simply disappears and its range falls to the next token.
 */
function useTokenEntry(
  vnodes: ReadonlyArray<readonly [string, string]> | undefined,
): Map<string, number> | null {
  const prev = useRef<Set<string> | null>(null)
  const [entering, setEntering] = useState<Map<string, number> | null>(null)
  useEffect(() => {
    if (!vnodes) return
    const before = prev.current
    prev.current = new Set(vnodes.map(([t]) => t))
    if (!before) return
    const fresh = new Map<string, number>()
    let lastOld: string | null = null
    // vnodes are sorted by token: a new token starts at the nearest older token before it.
    const firstOld = vnodes.find(([t]) => before.has(t))?.[0] ?? null
    const lastOldOverall = [...vnodes].reverse().find(([t]) => before.has(t))?.[0] ?? firstOld
    for (const [t] of vnodes) {
      if (before.has(t)) lastOld = t
      else fresh.set(t, tokenAngleDeg(lastOld ?? lastOldOverall ?? t))
    }
    if (fresh.size === 0) return
    setEntering(fresh)
    let raf2 = 0
    const raf1 = requestAnimationFrame(() => {
      raf2 = requestAnimationFrame(() => setEntering(null))
    })
    return () => {
      cancelAnimationFrame(raf1)
      cancelAnimationFrame(raf2)
    }
  }, [vnodes])
  return entering
}

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
  const tokenShares = useMemo(() => (ring ? ownershipShares(ring.vnodes) : {}), [ring])
  const entering = useTokenEntry(ring?.vnodes)
  const view = useClusterView()
  const [selected, setSelected] = useState<number | null>(null)
  const arcs = useMemo(() => (view ? partitionArcs(view.map, view.stats, view.moves.active) : []), [view])
  if (!ring || !hashRing) return <p className="muted">No ring yet.</p>
  const shares = arcs.length > 0 ? ownerShares(arcs) : tokenShares
  const strategy = view?.map.strategy ?? 'ring'
  const token = key ? positionIfPlaced(hashRing, key) : null
  // Hash and range partitions are equal sectors in id order; ring tokens sit at their hash.
  const keyArc = token && strategy !== 'ring' ? arcs[partitionOfKey(hashRing, key)] : null
  const keyAngle = token ? (keyArc ? ((keyArc.start + keyArc.end) / 2) * 360 : tokenAngleDeg(token)) : 0
  const chosen = selected !== null ? arcs[selected] : undefined
  const owners = token ? preferenceList(hashRing, key, rf) : []
  const sloppyList = token
    ? sloppyPreferenceList(hashRing, key, rf, (n) => health[n] === 'up' || health[n] === 'suspect')
    : null
  const standIns = sloppyList?.targets.filter((t) => t.hintedFor) ?? []
  return (
    <div className="panel" data-testid="ring-panel">
      <h3>
        {strategy === 'ring' ? 'Hash ring' : strategy === 'hash' ? 'Hash partitions' : 'Range partitions'} · v
        {ring.version} · {ring.vnodes.length} {strategy === 'ring' ? 'tokens' : 'partitions'}
      </h3>
      <svg
        className="ring-svg"
        viewBox="0 0 260 260"
        width="260"
        height="260"
        role="img"
        aria-label={`${strategy} partitions coloured by owner, heat inside; click one for its details`}
      >
        <circle cx={C} cy={C} r={R} fill="none" stroke="var(--border)" strokeWidth="10" />
        <PartitionBands cx={C} cy={C} arcs={arcs} selected={selected} onSelect={setSelected} />
        {strategy === 'ring' &&
          ring.vnodes.map(([t, node]) => (
            <line
              key={t}
              className={`tick${entering?.has(t) ? ' entering' : ''}`}
              x1={C}
              y1={C - R - 9}
              x2={C}
              y2={C - R + 9}
              stroke={nodeIdColor(node)}
              strokeWidth="2.5"
              style={{ transform: `rotate(${entering?.get(t) ?? tokenAngleDeg(t)}deg)` }}
            >
              <title>
                {node} · {t.slice(0, 10)}…
              </title>
            </line>
          ))}
        {token && (
          <g className="key-marker" style={{ transform: `rotate(${keyAngle}deg)` }} data-testid="ring-key">
            <line x1={C} y1={C} x2={C} y2={C - R + 12} stroke="var(--text)" strokeDasharray="3 3" />
            <circle cx={C} cy={C - R} r="6" fill="var(--text)" stroke="var(--surface)" strokeWidth="2" />
          </g>
        )}
        <text x={C} y={C - 4} textAnchor="middle" fontSize="12" fill="var(--muted)">
          {strategy === 'ring' ? 'SHA-1 ring' : strategy === 'hash' ? 'sha1 mod P' : 'key ranges'}
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
      <p className="muted ring-legend-note">
        Outer band: owner · inner band: client ops (darker = hotter; outlined = over 2 × the mean) · dashed:
        being copied to a new owner.
      </p>
      {view && (view.moves.active.length > 0 || view.moves.recent.length > 0) && (
        <>
          <h3>Moves</h3>
          <MovesList moves={view.moves} recentMax={1} />
        </>
      )}
      <h3>Partitions</h3>
      {chosen && view ? (
        <PartitionDetails key={chosen.id} arc={chosen} map={view.map} onSplit={() => setSelected(null)} />
      ) : (
        <p className="muted">
          Click a partition on the ring, or its number below, for its owners, heat and actions.
        </p>
      )}
      <PartitionTable arcs={arcs} selected={selected} onSelect={setSelected} />
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
            {keyArc ? (
              <>
                partition {keyArc.id} {keyArc.label}
              </>
            ) : (
              <>
                token <code>{token.slice(0, 12)}…</code> at {(tokenAngleDeg(token) / 3.6).toFixed(1)}% of the
                ring
              </>
            )}
          </p>
          <p data-testid="pref-list">
            Preference list:{' '}
            {owners.map((o, i) => (
              <NodeChip
                key={o}
                id={o}
                note={health[o] === 'up' ? `#${i + 1}` : `#${i + 1} ${health[o]}`}
                down={health[o] === 'down' || health[o] === 'paused'}
              />
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

/** The partition id of a key that has a position (hash and range placements). */
function partitionOfKey(ring: Parameters<typeof positionOf>[0], key: string): number {
  return Number.parseInt(positionOf(ring, key).slice(0, 8), 16)
}

/** The key's position on the ring, or null when no partition holds it (a key outside every range). */
function positionIfPlaced(ring: Parameters<typeof positionOf>[0], key: string): string | null {
  try {
    return positionOf(ring, key)
  } catch {
    return null
  }
}
