// Builds the workspace into dist/, which is committed and served by the API at /workspace.
// The build must be reproducible: `make workspace-check` rebuilds it and fails on a difference.
import { defineConfig } from 'vite';

const client = decodeURIComponent(new URL('../clients/typescript/src/index.ts', import.meta.url).pathname);

export default defineConfig({
  base: '/workspace/',
  resolve: { alias: { '@insurratex/client': client } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline script anywhere (the page's CSP allows none).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000', '/workspace/config.json': 'http://127.0.0.1:8000' } },
});
