import '@xyflow/react/dist/style.css'
import './ui/styles/theme.css'
import './ui/styles/app.css'
import './ui/styles/canvas.css'
import './ui/styles/panels.css'
import './ui/styles/timeline.css'
import './ui/styles/layout.css'
import './ui/styles/cluster.css'
import './ui/styles/diagram.css'
import './ui/styles/tours.css'
import './ui/styles/verdict.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { registerWorkerRuntime } from './cluster/createCluster'
import { createWorkerCluster } from './runtime/workerCluster'
import { App } from './ui/App'
import { readPageParams } from './ui/pageParams'
import { bootPlayground, DEFAULT_NUM_NODES } from './ui/playground'
import { initTours } from './ui/tours/engine'

registerWorkerRuntime(createWorkerCluster)
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
void bootPlayground().then(() => {
  // The guided tours and the first load's gentle workload (off with ?tour=off).
  const { toursOff } = readPageParams(window.location.search, {
    numNodes: DEFAULT_NUM_NODES,
    runtime: 'worker',
  })
  initTours(toursOff)
})
