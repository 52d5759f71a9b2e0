export function DataPanel() {
  return <div className="panel">Data</div>
}
