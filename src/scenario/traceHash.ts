/**
 * The trace hash of a simulator run: SHA-256 over the ordered events the cluster recorded (sends,
 * deliveries, drops, applies, node status, hints, disk faults, each with its virtual time), folded in
 * as they happen. Two runs with the same hash delivered the same messages in the same order.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import type { ClusterEvent } from '../core/events'

const CHUNK_CHARS = 32 * 1024

export class TraceHash {
  private readonly h = sha256.create()
  private pending: string[] = []
  private pendingChars = 0
  /** Events folded in so far. */
  events = 0

  add(e: ClusterEvent): void {
    const line = `${e.t}|${e.type}|${e.node}|${e.peer ?? ''}|${e.msg ?? ''}|${e.opId ?? ''}|${e.key ?? ''}|${e.detail ?? ''}\n`
    this.pending.push(line)
    this.pendingChars += line.length
    this.events++
    if (this.pendingChars >= CHUNK_CHARS) this.flush()
  }

  /** The hash so far, as 64 hex digits (the running hash is left untouched). */
  hex(): string {
    this.flush()
    return bytesToHex(this.h.clone().digest())
  }

  private flush(): void {
    if (this.pending.length === 0) return
    this.h.update(new TextEncoder().encode(this.pending.join('')))
    this.pending = []
    this.pendingChars = 0
  }
}

/** A short form of a trace hash for the page (the first 12 hex digits). */
export function shortHash(hex: string): string {
  return hex.slice(0, 12)
}
