/** The node's conflict mode, from its config: one object that compares, merges and hashes versions. */
import { dbError } from '../errors'
import { gcounterKind, pncounterKind } from './crdt/counters'
import { orsetKind } from './crdt/orset'
import { lwwregisterKind, mvregisterKind } from './crdt/registers'
import { lwwMode } from './lww'
import { mergingMode } from './mergingMode'
import {
  CONSISTENCY_MODES,
  type ConflictMode,
  type ConsistencyMode,
  CRDT_TYPES,
  type CrdtType,
  type StateKind,
} from './types'
import { type TrimHook, vectorKind } from './vector'

export type { ConflictMode, ConsistencyMode, CrdtOp, CrdtType, ReadView, WriteIntent } from './types'

/** What a node's config says about conflicts (fields of NodeConfig). */
export interface ConflictConfig {
  consistencyMode?: ConsistencyMode
  crdtConfig?: Record<string, CrdtType>
  siblingsMax?: number
}

export const SIBLINGS_MAX_DEFAULT = 16

const CRDT_KINDS: Record<CrdtType, StateKind> = {
  gcounter: gcounterKind,
  pncounter: pncounterKind,
  orset: orsetKind,
  lwwregister: lwwregisterKind,
  mvregister: mvregisterKind,
}

/** BAD_CONFIG unless the conflict options make sense (an unknown mode or CRDT type, siblingsMax < 1). */
export function checkConflictConfig(c: ConflictConfig): void {
  if (c.consistencyMode !== undefined && !CONSISTENCY_MODES.includes(c.consistencyMode))
    throw dbError('BAD_CONFIG', `consistencyMode must be one of ${CONSISTENCY_MODES.join(', ')}`, {
      option: 'consistencyMode',
    })
  if (c.siblingsMax !== undefined && (!Number.isSafeInteger(c.siblingsMax) || c.siblingsMax < 1))
    throw dbError('BAD_CONFIG', `siblingsMax must be an integer >= 1, got ${String(c.siblingsMax)}`, {
      option: 'siblingsMax',
    })
  if (c.crdtConfig === undefined) return
  if (typeof c.crdtConfig !== 'object' || c.crdtConfig === null || Array.isArray(c.crdtConfig))
    throw dbError('BAD_CONFIG', 'crdtConfig maps keys to CRDT types, like { likes: "gcounter" }', {
      option: 'crdtConfig',
    })
  for (const [key, type] of Object.entries(c.crdtConfig))
    if (!CRDT_TYPES.includes(type))
      throw dbError(
        'BAD_CONFIG',
        `crdtConfig[${JSON.stringify(key)}] is ${JSON.stringify(type)}: not a CRDT type (${CRDT_TYPES.join(', ')})`,
        { option: 'crdtConfig', key, type: String(type) },
      )
}

/** The conflict mode for a node config (LWW unless the cluster chose another). */
export function conflictModeFor(config: ConflictConfig, onTrim: TrimHook = () => {}): ConflictMode {
  checkConflictConfig(config)
  const mode = config.consistencyMode ?? 'lww'
  if (mode === 'lww') return lwwMode
  if (mode === 'vector') {
    const kind = vectorKind(config.siblingsMax ?? SIBLINGS_MAX_DEFAULT, onTrim)
    return mergingMode('vector', () => kind)
  }
  const types = new Map(Object.entries(config.crdtConfig ?? {}))
  return mergingMode('crdt', (key) => {
    const t = types.get(key)
    return t ? CRDT_KINDS[t] : null
  })
}
