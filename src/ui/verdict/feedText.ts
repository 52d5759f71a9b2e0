/** How much of the node-side workload the checker sees, in words ("sampled 1 in 4 keys"), or ''. */
export function feedText(f: { sampleEvery: number; dropped: number }): string {
  const parts: string[] = []
  if (f.sampleEvery > 1) parts.push(`sampled 1 in ${f.sampleEvery} keys`)
  if (f.dropped > 0) parts.push(`${f.dropped.toLocaleString('en-US')} not checked`)
  return parts.join(' · ')
}
