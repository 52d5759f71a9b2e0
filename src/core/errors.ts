/**
 * Operating faults are values with a stable string code: they cross worker boundaries (comlink keeps
 * only `message` of an Error) and the UI shows them. Programmer errors are plain assertions.
 */
export const ERROR_CODES = [
  'BAD_INPUT',
  'BAD_CONFIG',
  'UNKNOWN_NODE',
  'NODE_DOWN',
  'NODE_PAUSED',
  'TIMEOUT',
  'QUORUM_NOT_MET',
  'NOT_OWNER',
  'VALUE_TOO_LARGE',
  'QUOTA_EXCEEDED',
  'STORAGE_UNAVAILABLE',
  'STORAGE_CORRUPT',
  'CLUSTER_SHUT_DOWN',
  /** Transactions (core/tx): unknown or finished id, an op on a failed one, conflicts, lock waits. */
  'TX_UNKNOWN',
  'TX_FINISHED',
  'TX_FAILED',
  'TX_CONFLICT',
  'TX_EXPIRED',
  'TX_ABORTED',
  'TX_IN_DOUBT',
  'TX_DEADLOCK',
  'TX_NEGATIVE_BALANCE',
  'TX_SNAPSHOT_TOO_OLD',
  'LOCK_TIMEOUT',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** A coded error; `details` is plain JSON so it survives structured clone. */
export interface DbErrorData {
  code: ErrorCode
  message: string
  details?: Record<string, unknown>
}

/** An Error that carries a code; serialise with `toErrorData` before crossing a boundary. */
export class DbError extends Error implements DbErrorData {
  readonly code: ErrorCode
  readonly details?: Record<string, unknown>
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(`${code}: ${message}`)
    this.name = 'DbError'
    this.code = code
    this.details = details
  }
}

export function dbError(code: ErrorCode, message: string, details?: Record<string, unknown>): DbError {
  return new DbError(code, message, details)
}

export function isDbError(e: unknown): e is DbErrorData {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as DbErrorData).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((e as DbErrorData).code)
  )
}

/** Plain-object form for postMessage; unknown throwables become INTERNAL. */
export function toErrorData(e: unknown): DbErrorData {
  if (isDbError(e))
    return {
      code: e.code,
      message: e instanceof DbError ? e.message.replace(`${e.code}: `, '') : e.message,
      details: e.details,
    }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) }
}

export function fromErrorData(d: DbErrorData): DbError {
  return new DbError(d.code, d.message, d.details)
}
