/**
 * Deletes the stored node databases of a worker-runtime cluster from the page, by name
 * (`<dbPrefix>-node_<i>`): a new cluster, a scenario or a runtime switch starts clean even for nodes
 * the old cluster no longer ran (killed, removed, or a larger cluster from an earlier visit).
 */

/** Database names that belong to clusters stored under `prefix`. */
export function storedNodeDbNames(names: readonly string[], prefix: string): string[] {
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-node_[0-9]+$`)
  return names.filter((n) => re.test(n))
}

const DELETE_TIMEOUT_MS = 3000

function deleteOne(name: string): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, DELETE_TIMEOUT_MS)
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    const req = indexedDB.deleteDatabase(name)
    req.onsuccess = done
    req.onerror = done
  })
}

/** Deletes every `<prefix>-node_<i>` IndexedDB database; a missing IndexedDB is not an error. */
export async function deleteStoredNodes(prefix: string): Promise<number> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return 0
  const all = await indexedDB.databases().catch(() => [])
  const names = storedNodeDbNames(
    all.map((d) => d.name ?? ''),
    prefix,
  )
  await Promise.all(names.map(deleteOne))
  return names.length
}
