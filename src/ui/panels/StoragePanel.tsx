export function StoragePanel() {
  return <div className="panel">Storage</div>
}
