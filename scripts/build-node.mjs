// Bundles the plain-Node faces of Spool (CLI, browser-mode server) into out/node.
// The engine stays in TypeScript sources; esbuild makes one ESM file per entry in well under a second.
// Dependencies are bundled too: resolving and loading hundreds of node_modules files was most of the
// CLI's start-up (0.37 s → ~0.2 s). Only native modules and Electron stay external.
// The output folder is emptied first: chunk names carry hashes, and old ones would pile up.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

rmSync(path.join(root, 'out', 'node'), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { spool: 'src-main/cli/main.ts' },
  outdir: 'out/node',
  // Commands and heavy dependencies (systeminformation, execa, ws) load on first use, from chunks.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'electron'],
  // Bundled CommonJS dependencies call require(); ESM output needs one to give them.
  banner: { js: "import { createRequire as __spoolCreateRequire } from 'node:module'; const require = __spoolCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
