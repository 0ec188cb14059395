// `npm run bench [-- NAME...] [--rounds N]`: builds the CLI bundle the benchmarks drive, bundles
// the TypeScript benchmarks (bench/*.ts) with esbuild the same way, and runs them in plain Node.
// Bundling rather than a TS loader: the engine code measured is the same code `spool` ships, with
// no loader hooks on every import changing start-up or profile numbers.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

if (spawnSync('sh', ['-c', 'command -v parallel'], { stdio: 'ignore' }).status !== 0) {
  process.stderr.write(
    'bench: GNU parallel is not installed, so the dispatch benchmark skips that peer.\n' +
      '       Install it with: sudo apt-get install parallel   (macOS: brew install parallel)\n',
  );
}

const cli = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-node.mjs')], { stdio: 'inherit', cwd: root });
if (cli.status !== 0) {
  process.stderr.write('bench: building the CLI bundle failed (see above)\n');
  process.exit(1);
}

const workers = readdirSync(path.join(root, 'bench', 'workers'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => [`workers/${f.slice(0, -3)}`, `bench/workers/${f}`]);

await build({
  absWorkingDir: root,
  entryPoints: { main: 'bench/main.ts', ...Object.fromEntries(workers) },
  outdir: 'out/bench',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'out', 'bench', 'main.mjs'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
// Ctrl-C reaches the benchmark too (same process group); we just pass on how it ended.
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
