#!/usr/bin/env node
// The `spool` command: runs the bundled CLI (npm run build makes it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../out/node/spool.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('spool: not built yet. Run `npm run build` in the Spool folder first.\n');
  process.exit(2);
}
await import(bundle.href);
