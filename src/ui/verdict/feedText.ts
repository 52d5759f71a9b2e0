/**
 * How much of the node-side workload the checker sees, in words ("sampled 1 in 4 keys"), or ''.
 * `short` is the header chip's form ("1 in 4 keys · 12 unchecked"): the chip's title carries the long one.
 */
export function feedText(f: { sampleEvery: number; dropped: number }, short = false): string {
  const parts: string[] = []
  if (f.sampleEvery > 1) parts.push(`${short ? '' : 'sampled '}1 in ${f.sampleEvery} keys`)
  if (f.dropped > 0) parts.push(`${f.dropped.toLocaleString('en-US')} ${short ? 'unchecked' : 'not checked'}`)
  return parts.join(' · ')
}
