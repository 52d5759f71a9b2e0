/** createCluster: the one entry point for both runtimes. */
import { SimCluster, type SimClusterHooks } from '../sim/simCluster'
import { resolveOptions } from './options'
import type { Cluster, ClusterOptions } from './types'

export type WorkerClusterFactory = (opts: ReturnType<typeof resolveOptions>) => Promise<Cluster>

let workerFactory: WorkerClusterFactory | null = null

/** The page registers the worker runtime (it needs a browser); Node scripts get the simulator. */
export function registerWorkerRuntime(factory: WorkerClusterFactory): void {
  workerFactory = factory
}

/** Creates and starts a cluster; throws a coded BAD_CONFIG error for invalid options. */
export async function createCluster(options: ClusterOptions, simHooks?: SimClusterHooks): Promise<Cluster> {
  const opts = resolveOptions(options)
  if (opts.runtime === 'sim') {
    const c = new SimCluster(opts, simHooks)
    await c.start()
    return c
  }
  if (!workerFactory) {
    const { dbError } = await import('../core/errors')
    throw dbError(
      'BAD_CONFIG',
      "runtime 'worker' needs a browser (Web Workers and IndexedDB); use runtime: 'sim' in Node",
    )
  }
  return workerFactory(opts)
}

/** Creates a simulator cluster with its concrete type (tests reach into nodes and virtual time). */
export async function createSimCluster(
  options: Omit<ClusterOptions, 'runtime'>,
  hooks?: SimClusterHooks,
): Promise<SimCluster> {
  const c = new SimCluster(resolveOptions({ ...options, runtime: 'sim' }), hooks)
  await c.start()
  return c
}
