import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

/**
 * index.html carries the page's Content-Security-Policy (everything from its own origin, nothing
 * inline, no eval). Styles React and uPlot set go through the CSSOM (element.style), which CSP does
 * not govern, so the built page needs no 'unsafe-inline' (e2e/csp.spec.ts watches for violations).
 * Vite's dev server, though, injects an inline script (React refresh) and <style> tags (CSS HMR) and
 * talks over a WebSocket, all of which the policy forbids: in dev the tag is dropped.
 */
function cspOnlyInBuild(): Plugin {
  return {
    name: 'distdb-csp-dev',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/\s*<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ''),
  }
}

// BASE lets the static build live under a sub-path (GitHub Pages serves /<repo>/); e2e builds with /demo/.
export default defineConfig({
  base: process.env.BASE ?? './',
  plugins: [react(), cspOnlyInBuild()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { port: 5173 },
})
