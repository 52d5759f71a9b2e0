/**
 * Where the page's clusters differ from the Cluster API defaults, so there is something to see.
 * Scripts and tests that create clusters themselves keep the API defaults.
 */

/**
 * The page's memtable size: 8 KiB instead of the engine's 4 MiB, so a workload's first flushes come
 * within seconds and a compaction (4 level-0 tables) within a minute — the storage view has something
 * to show.
 */
export const PAGE_MEMTABLE_BYTES = 8 * 1024

/**
 * The page's hint replay budget per stand-in: 8 KiB/s instead of 1 MB/s, so a drain of a few hundred
 * hints takes a second or more (its count visibly goes down) instead of one batch the screen never
 * sees; under the default workload a stand-in still replays faster than it collected hints.
 */
export const PAGE_HINT_REPLAY_BYTES_PER_SEC = 8 * 1024
