/** Disk faults in words, for events, the node card and the faults strip. */
import { type DiskFaults, noDiskFaults } from '../core/disk/faultyDisk'

export const TORN_TAIL_DETAIL = 'killed mid-commit: the commit in flight left a torn WAL record'

/** "commits +50 ms · 10% of commits fail · 64 KiB left · torn tail on kill", or "no disk faults". */
export function describeDiskFaults(f: DiskFaults): string {
  if (noDiskFaults(f)) return 'no disk faults'
  const parts: string[] = []
  if (f.commitDelayMs > 0) parts.push(`commits +${f.commitDelayMs} ms`)
  if (f.commitFailRate > 0) parts.push(`${Math.round(f.commitFailRate * 100)}% of commits fail`)
  if (f.quotaBytes !== null) parts.push(`disk full after ${formatBytes(f.quotaBytes)} more`)
  if (f.tornTailOnKill) parts.push('torn WAL tail on kill')
  return parts.join(' · ')
}

function formatBytes(b: number): string {
  if (b >= 1024 * 1024) return `${(b / 1024 / 1024).toFixed(1)} MiB`
  if (b >= 1024) return `${(b / 1024).toFixed(0)} KiB`
  return `${b} B`
}
