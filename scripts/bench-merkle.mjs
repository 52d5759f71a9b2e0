// Runs the Merkle anti-entropy benchmark (bench/merkleBench.ts) in Node through Vite's module
// loader (no build step), on the deterministic simulator. Usage: npm run bench:merkle
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const server = await createServer({
  root,
  configFile: false,
  logLevel: 'error',
  server: { middlewareMode: true, hmr: false, watch: null },
  appType: 'custom',
})
try {
  const bench = await server.ssrLoadModule('/bench/merkleBench.ts')
  await bench.main()
} finally {
  await server.close()
}
