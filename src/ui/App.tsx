/**
 * The whole page: header, banners, canvas with its floating panels, tabbed side panel (a bottom sheet
 * under the canvas on narrow screens, see layout.css), setup drawer.
 */
import { ReactFlowProvider } from '@xyflow/react'
import { useEffect } from 'react'
import { Canvas } from './flow/Canvas'
import { EdgePanel } from './flow/EdgePanel'
import { NodeMenu } from './flow/NodeMenu'
import { ScenarioBar } from './scenario/ScenarioBar'
import { Banners } from './shell/Banners'
import { FaultsStrip } from './shell/FaultsStrip'
import { Header } from './shell/Header'
import { SetupDrawer } from './shell/SetupDrawer'
import { SidePanel } from './shell/SidePanel'
import { StepLine } from './shell/TimeControls'
import { useStore } from './store/store'
import { TourPanel } from './tours/TourPanel'
import { ShowToursButton, TryCards } from './tours/TryCards'

export function App() {
  const theme = useStore((s) => s.theme)
  const phase = useStore((s) => s.phase)
  const hasCluster = useStore((s) => s.cluster !== null)
  const tourActive = useStore((s) => s.tourActive !== null)
  useEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])
  return (
    <div className="app">
      <Header />
      <Banners />
      <FaultsStrip />
      <ScenarioBar />
      <StepLine />
      <main className="app-main">
        <section className="canvas-wrap" aria-label="Cluster topology">
          {tourActive ? <TourPanel /> : <TryCards />}
          <ShowToursButton />
          {hasCluster ? (
            <ReactFlowProvider>
              <Canvas />
            </ReactFlowProvider>
          ) : (
            <div className="canvas-empty" data-testid="canvas-empty">
              {phase === 'starting'
                ? 'Starting cluster…'
                : 'No cluster running. Open “Cluster setup” to create one.'}
            </div>
          )}
          <NodeMenu />
          <EdgePanel />
          <p className="canvas-help">
            Drag a node into another zone to partition it, or onto the kill area to kill it · ⋮, right-click
            or Enter on a node for actions · click a link (or Enter on it) for latency, loss or a cut
          </p>
        </section>
        <SidePanel />
      </main>
      <SetupDrawer />
    </div>
  )
}
