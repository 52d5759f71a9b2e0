/**
 * One replica's Merkle tree (its top levels) drawn as a tree: nodes and parent → child links, the
 * nodes whose hashes differ from the other replica in red and the links down to them (the mismatch
 * path an exchange descends) thick; while an exchange runs the path pulses level by level.
 */
import { memo, useMemo } from 'react'
import { treeDrawing } from '../model/merkleView'

function MerkleTreeViewInner({
  node,
  levels,
  grid,
  color,
  testId,
  exchanging,
}: {
  node: string
  levels: string[][]
  grid: boolean[][]
  color: string
  testId: string
  exchanging?: boolean
}) {
  const d = useMemo(() => treeDrawing(levels, grid), [levels, grid])
  const r = (level: number) => Math.max(3.5, 8 - 2 * level)
  return (
    <svg
      className={`merkle-tree${exchanging ? ' exchanging' : ''}`}
      viewBox={`0 0 ${d.width} ${d.height}`}
      role="img"
      aria-label={`${node}'s tree, top ${levels.length} levels: ${d.mismatched} of ${d.nodes.length} nodes differ from the other replica`}
      data-testid={testId}
      style={{ borderTop: `3px solid ${color}` }}
    >
      {d.links.map((l) => (
        <line
          key={`${l.x2},${l.y2}`}
          x1={l.x1}
          y1={l.y1}
          x2={l.x2}
          y2={l.y2}
          className={l.path ? 'tree-link path' : 'tree-link'}
          data-testid={l.path ? 'tree-path-link' : undefined}
          style={l.path ? { animationDelay: `${0.25 * Math.round(l.y2 / 40)}s` } : undefined}
        />
      ))}
      {d.nodes.map((n) => (
        <circle
          key={`${n.level}-${n.index}`}
          cx={n.x}
          cy={n.y}
          r={r(n.level)}
          className={`tree-node${n.mismatch ? ' mismatch' : ''}${n.empty ? ' empty' : ''}`}
          data-testid={n.mismatch ? 'tree-node-mismatch' : 'tree-node'}
        >
          <title>
            level {n.level} #{n.index}: {n.empty ? 'empty subtree' : n.hash}
            {n.mismatch ? ' (differs)' : ''}
          </title>
        </circle>
      ))}
    </svg>
  )
}

export const MerkleTreeView = memo(MerkleTreeViewInner)
