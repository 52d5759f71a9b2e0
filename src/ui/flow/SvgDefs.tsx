/** Arrowhead markers shared by the canvas edges (referenced by id from the edge paths). */
export function SvgDefs() {
  return (
    <svg className="svg-defs" aria-hidden="true">
      <defs>
        <marker
          id="hint-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" className="hint-arrow-head" />
        </marker>
        <marker
          id="link-arrow-fault"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="12"
          markerHeight="12"
          markerUnits="userSpaceOnUse"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" className="link-arrow-head" />
        </marker>
        <marker
          id="link-arrow-fault-start"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="12"
          markerHeight="12"
          markerUnits="userSpaceOnUse"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" className="link-arrow-head" />
        </marker>
        <marker
          id="step-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="16"
          markerHeight="16"
          markerUnits="userSpaceOnUse"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" className="step-arrow-head" />
        </marker>
      </defs>
    </svg>
  )
}
