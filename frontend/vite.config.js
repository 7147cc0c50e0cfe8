import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// `npm run dev` serves the UI on :5173 and forwards API calls to a server started with
// `fashion-reuse serve` (or uvicorn) on :8000; `npm run build` writes the static bundle that
// the API serves at `/` (relative asset paths, so it also works under a path prefix).
const api = process.env.FASHION_REUSE_API || 'http://127.0.0.1:8000'
const routes = ['/generate', '/redesign', '/redesign_prompt', '/style_transfer', '/refine', '/tailor', '/jobs', '/images', '/health']

export default defineConfig({
  base: './',
  plugins: [react()],
  build: { chunkSizeWarningLimit: 400, sourcemap: false },
  server: { proxy: Object.fromEntries(routes.map(r => [r, api])) },
})
