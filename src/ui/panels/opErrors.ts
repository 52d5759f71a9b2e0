/** Coded errors from client operations, with the replicas that answered when the error says so. */
import { toErrorData } from '../../core/errors'

export interface OpError {
  code: string
  message: string
  answered: string[]
}

export function opError(e: unknown): OpError {
  const d = toErrorData(e)
  const answered = d.details?.answered
  return {
    code: d.code,
    message: d.message,
    answered: Array.isArray(answered) ? answered.filter((x): x is string => typeof x === 'string') : [],
  }
}
