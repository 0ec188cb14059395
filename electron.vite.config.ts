import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import renderer from './vite.renderer.config';

// electron-vite looks for src/main, src/preload and src/renderer; Spool's folders are named
// src-main, src-preload and src-renderer, so each build names its entry (electron-vite's docs:
// set build.rollupOptions.input).
const at = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: at('./out/main'),
      // Dependencies stay in node_modules: better-sqlite3 is native and loads its Electron build
      // from native/electron (SPOOL_SQLITE_BINDING); execa, ws, zod… need no bundling either.
      externalizeDeps: true,
      rollupOptions: {
        input: { index: at('./src-main/electron/main.ts') },
        external: ['better-sqlite3'],
      },
    },
  },
  preload: {
    build: {
      outDir: at('./out/preload'),
      // A sandboxed preload cannot require() from node_modules and is not an ES module: one CJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: at('./src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  // The renderer engineer's config (also used alone for browser mode), with the entry named.
  renderer: {
    ...renderer,
    build: { ...renderer.build, rollupOptions: { ...renderer.build?.rollupOptions, input: at('./src-renderer/index.html') } },
  },
});
