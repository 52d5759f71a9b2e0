/** The worker runtime of the Cluster API (one Web Worker per node). Work in progress: see ARCHITECTURE.md. */
import type { Cluster, ResolvedClusterOptions } from '../cluster/types'
import { dbError } from '../core/errors'

export async function createWorkerCluster(_opts: ResolvedClusterOptions): Promise<Cluster> {
  throw dbError('BAD_CONFIG', 'the worker runtime is not wired yet')
}
