/** A worker call's coded result, unwrapped on the page: the value, or the error rethrown as a DbError. */
import type { Outcome } from '../../workers/nodeWorkerApi'
import { fromErrorData } from '../core/errors'

export function unwrap<T>(o: Outcome<T>): T {
  if (o.ok) return o.value
  throw fromErrorData(o.error)
}
