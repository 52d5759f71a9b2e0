export function WorkloadPanel() {
  return <div className="panel">Workload</div>
}
