/**
 * Installs transactions (core/tx) on a node through the narrow TxHost interface, and carries their
 * peer bodies on the `tx` / `tx-resp` messages. The subsystem sees identity, time, placement, a
 * QUORUM read, one group commit of rows and request/response: nothing else of DbNode.
 */

import type { DiskOp } from '../disk/disk'
import { dbError, fromErrorData, toErrorData } from '../errors'
import type { NodeId } from '../ids'
import type { Message, RowVersion } from '../protocol/messages'
import { compareVersions } from '../replication/version'
import type { TxHost } from '../tx/host'
import { LockService } from '../tx/lockService'
import { TxCoordinator } from '../tx/txCoordinator'
import { TX_DEFAULTS, type TxPeerReply, type TxSettings } from '../tx/types'
import { quorumFor } from './coordinator'
import type { DbNode } from './dbNode'
import { rowRecord } from './rows'

/** Transaction records live in the 'meta' store under this prefix (no new store, no schema bump). */
const RECORD_PREFIX = 'txrec|'
/** Durable prepares at a lock owner, in 'meta' too. */
const PREPARED_PREFIX = 'txprep|'

export class NodeTransactions {
  readonly locks: LockService
  readonly coordinator: TxCoordinator

  constructor(private readonly node: DbNode) {
    const host = txHostOf(node)
    this.locks = new LockService(host)
    this.coordinator = new TxCoordinator(host, this.locks)
  }

  /**
   * Loads the transaction records this node holds (resuming their roll-forward) and the prepares it
   * holds as lock owner (their locks again), at open.
   */
  recover(): Promise<void> {
    return this.locks.recover()
  }

  /** A `tx` message from a coordinator: serve it and answer with `tx-resp`. */
  onMessage(m: Extract<Message, { type: 'tx' }>): void {
    this.locks.serve(m.body).then(
      (body) => this.node.send(m.from, { type: 'tx-resp', reqId: m.reqId, body }),
      (e) => this.node.send(m.from, { type: 'tx-resp', reqId: m.reqId, error: toErrorData(e) }),
    )
  }
}

function settingsOf(node: DbNode): TxSettings {
  const c = node.config
  return {
    isolation: c.txIsolation ?? TX_DEFAULTS.isolation,
    lockStrategy: c.txLockStrategy ?? TX_DEFAULTS.lockStrategy,
    lockTimeoutMs: c.lockTimeoutMs ?? TX_DEFAULTS.lockTimeoutMs,
    leaseMs: c.txLeaseMs ?? TX_DEFAULTS.leaseMs,
    recordTtlMs: c.hintWindowMs,
  }
}

function txHostOf(node: DbNode): TxHost {
  return {
    id: node.id,
    timers: node.env.timers,
    nowMs: () => node.env.clock.nowMs(),
    settings: () => settingsOf(node),
    observe: (v) => node.clock.receive(v.ts),
    tick: () => node.clock.tick(),
    ownersOf: (key) => node.owners(key),
    writeQuorum: () => quorumFor(node, 'QUORUM').w,
    healthy: (peer: NodeId) => peer === node.id || node.fd.healthy(peer),
    quorumRow: (key) => ownersQuorumRow(node, key),
    applyRows: (rows) => applyWith(node, rows, []),
    request: async (to, body, timeoutMs) => {
      const { reqId, reply } = node.requests.start(to, timeoutMs)
      node.send(to, { type: 'tx', reqId, body })
      const m = await reply
      if (m.type !== 'tx-resp') throw dbError('INTERNAL', `expected tx-resp, got ${m.type}`)
      if (m.error) throw fromErrorData(m.error)
      return m.body as TxPeerReply
    },
    requestTimeoutMs: () => node.config.requestTimeoutMs,
    saveRecord: (rec, rows) =>
      applyWith(node, rows, [{ type: 'put', store: 'meta', key: `${RECORD_PREFIX}${rec.txId}`, value: rec }]),
    dropRecord: (txId) =>
      node.groups.addLazy([{ type: 'delete', store: 'meta', key: `${RECORD_PREFIX}${txId}` }]),
    loadRecords: async () =>
      (await node.env.disk.getRange('meta', { lower: RECORD_PREFIX, upper: `${RECORD_PREFIX}\uffff` })).map(
        (e) => e.value,
      ),
    savePrepared: (p) =>
      node.groups.add({
        diskOps: [{ type: 'put', store: 'meta', key: `${PREPARED_PREFIX}${p.txId}`, value: p }],
      }),
    dropPrepared: (txId) =>
      node.groups.addLazy([{ type: 'delete', store: 'meta', key: `${PREPARED_PREFIX}${txId}` }]),
    loadPrepared: async () =>
      (
        await node.env.disk.getRange('meta', { lower: PREPARED_PREFIX, upper: `${PREPARED_PREFIX}\uffff` })
      ).map((e) => e.value),
    transactionsRefused: () =>
      (node.config.consistencyMode ?? 'lww') === 'lww'
        ? null
        : `transactions need consistencyMode 'lww' (this cluster uses '${node.config.consistencyMode}')`,
  }
}

/**
 * Writes the rows (where newer, by the conflict rule) and `diskOps` in ONE group commit; how many
 * rows were newer.
 */
async function applyWith(node: DbNode, rows: RowVersion[], diskOps: DiskOp[]): Promise<number> {
  for (const r of rows) node.clock.receive(r.version.ts)
  const current = await Promise.all(rows.map((r) => node.versions.current(r.key)))
  // Resolved and staged in one tick after every read settled: check-then-write stays atomic.
  const records = []
  for (let i = 0; i < rows.length; i++) {
    const record = node.conflict.resolve(rows[i].key, current[i](), rowRecord(rows[i]))
    if (!record) continue
    node.versions.writing(rows[i].key, record)
    records.push({ key: rows[i].key, record })
  }
  if (records.length > 0 || diskOps.length > 0) await node.groups.add({ records, diskOps })
  return records.length
}

/**
 * The newest row among R = N − W + 1 natural owners (no stand-ins): it overlaps every commit that
 * reached W owners, so a validation after a commit on the key always sees it.
 */
function ownersQuorumRow(node: DbNode, key: string): Promise<RowVersion | null> {
  const owners = node.owners(key)
  const r = owners.length - quorumFor(node, 'QUORUM').w + 1
  return new Promise((resolve, reject) => {
    let best: RowVersion | null = null
    let got = 0
    let left = owners.length
    const errors: string[] = []
    for (const o of owners) {
      const read = o === node.id ? node.localRow(key) : node.reads.read(o, key)
      read
        .then(
          (row) => {
            if (row && (!best || compareVersions(row.version, best.version) > 0)) best = row
            if (++got === r) resolve(best)
          },
          (e) => void errors.push(`${o}: ${toErrorData(e).code}`),
        )
        .finally(() => {
          if (--left === 0 && got < r)
            reject(
              dbError(
                'QUORUM_NOT_MET',
                `a transaction read of ${JSON.stringify(key)} got ${got} of ${r} owners`,
                {
                  key,
                  needed: r,
                  errors,
                },
              ),
            )
        })
    }
  })
}
