import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// BASE lets the static build live under a sub-path (GitHub Pages serves /<repo>/); e2e builds with /demo/.
export default defineConfig({
  base: process.env.BASE ?? './',
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { port: 5173 },
})
