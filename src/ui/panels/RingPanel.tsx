export function RingPanel() {
  return <div className="panel">Ring</div>
}
