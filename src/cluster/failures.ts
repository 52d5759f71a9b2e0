/** How a node's start-up failure is told apart: the disk itself, or the data on it. */
import type { DbErrorData } from '../core/errors'

/** `details.stage` of an open error raised by the disk (IndexedDB missing, throwing, VersionError). */
export const DISK_OPEN_STAGE = 'disk-open'

/** True when the node failed because its disk could not be opened at all (memory mode may help). */
export function isDiskOpenFailure(f: DbErrorData | undefined): boolean {
  return f?.details?.stage === DISK_OPEN_STAGE
}
