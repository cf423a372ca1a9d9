/**
 * Renderer build: everything bundled into renderer/dist (no CDN, no remote
 * fonts), relative asset URLs so the same files load from `cairn serve` and
 * from Electron. Build: `vite build --config renderer/vite.config.ts`.
 */
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// This file's folder, without importing Node's path helpers.
const here = decodeURIComponent(new URL('.', import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1');

/**
 * The dev server injects an inline script (React Refresh), which the strict
 * CSP in index.html forbids; the CSP stays in every build and leaves only dev.
 */
const devWithoutCsp: Plugin = {
  name: 'cairn-dev-without-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
};

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), devWithoutCsp],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // A desktop app loads from disk: one chunk per view is not worth the requests.
    chunkSizeWarningLimit: 2000,
    assetsInlineLimit: 0,
    sourcemap: false,
    // Bundling MapLibre's worker is slow by nature; the timing notice is noise.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  // `CAIRN_API=http://127.0.0.1:7411 vite --config renderer/vite.config.ts` forwards /api to a
  // running `cairn serve` (start it with the dev origin allowed; open the page with #token=...).
  server: { host: '127.0.0.1', ...(process.env.CAIRN_API ? { proxy: { '/api': { target: process.env.CAIRN_API } } } : {}) },
  preview: { host: '127.0.0.1' },
});
