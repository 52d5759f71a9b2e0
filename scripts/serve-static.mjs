// A tiny static file server for e2e and benchmarks: serves DIR under a sub-path, as a static host would.
// Usage: node scripts/serve-static.mjs <dir> <basePath> <port>
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, resolve } from 'node:path'

const [dir = 'dist', base = '/demo/', portArg = '4179'] = process.argv.slice(2)
const root = resolve(dir)
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (!url.pathname.startsWith(base)) {
    res.writeHead(302, { location: base })
    return res.end()
  }
  let rel = decodeURIComponent(url.pathname.slice(base.length)) || 'index.html'
  let file = normalize(join(root, rel))
  if (!file.startsWith(root)) {
    res.writeHead(403)
    return res.end()
  }
  if (!existsSync(file) || statSync(file).isDirectory()) {
    rel = 'index.html'
    file = join(root, rel)
  }
  if (!existsSync(file)) {
    res.writeHead(404)
    return res.end('not found')
  }
  res.writeHead(200, {
    'content-type': types[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  })
  createReadStream(file).pipe(res)
})
server.listen(Number(portArg), '127.0.0.1', () =>
  console.log(`serving ${root} at http://127.0.0.1:${portArg}${base}`),
)
