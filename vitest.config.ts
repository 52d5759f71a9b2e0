import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'workers/**/*.test.ts'],
    environment: 'node',
    // A widened sweep (SEEDS=10000, SWEEP_SEEDS=10000) runs for many minutes in one test. CI's
    // 500-seed sweeps take 30–60 s each on a quiet 2-core machine and twice that on a busy one.
    testTimeout: process.env.SEEDS || process.env.SWEEP_SEEDS ? 3_600_000 : 240_000,
  },
})
