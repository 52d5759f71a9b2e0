export function ConsolePanel() {
  return <div className="panel">Console</div>
}
