/** Node colours shared by the canvas, the ring and the charts (index → the same hue everywhere). */
const PALETTE = [
  '#4f8cff',
  '#f0a13c',
  '#3cc28a',
  '#e0568a',
  '#9b6cf0',
  '#2fb8c9',
  '#d9c13a',
  '#ef6a4c',
  '#6cc04a',
  '#c75fd1',
  '#5a78d6',
  '#c98a4b',
]

/** Colour for the node at `index`; beyond the palette, hues spread by the golden angle. */
export function nodeColor(index: number): string {
  if (index < PALETTE.length) return PALETTE[index]
  const hue = Math.round((index * 137.508) % 360)
  return `hsl(${hue} 65% 58%)`
}

/** Colour for a node id `node_<i>`. */
export function nodeIdColor(id: string): string {
  return nodeColor(Number(id.slice(5)) || 0)
}
