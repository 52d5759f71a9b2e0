export function HintsPanel() {
  return <div className="panel">Hints</div>
}
