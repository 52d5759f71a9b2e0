export function EventsPanel() {
  return <div className="panel">Events</div>
}
