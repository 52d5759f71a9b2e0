export function MerklePanel() {
  return <div className="panel">Merkle</div>
}
