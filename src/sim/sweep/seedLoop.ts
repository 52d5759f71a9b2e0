/**
 * A sweep's seed loop: runs each seed, keeps the first three that report problems, each with the
 * command that replays it alone (`SEED=<n> npx vitest run <file>`).
 */
export async function failingSeeds(
  seeds: readonly number[],
  run: (seed: number) => Promise<readonly string[]>,
  file: string,
): Promise<string[]> {
  const failures: string[] = []
  for (const seed of seeds) {
    const p = await run(seed)
    if (p.length)
      failures.push(`seed ${seed}: ${p.join('; ')}\n  replay: SEED=${seed} npx vitest run ${file}`)
    if (failures.length >= 3) break
  }
  return failures
}
