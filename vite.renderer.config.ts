import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src-renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./out/renderer', import.meta.url));

/**
 * The renderer alone, for browser mode (`spool serve` serves out/renderer) and the e2e tests.
 * `base: './'` keeps asset URLs relative so the same build loads from Electron's app protocol.
 */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // The CSP is script-src 'self': everything must be a file, never an inline script or a data: URL.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    reportCompressedSize: false,
  },
  server: { strictPort: false },
});
