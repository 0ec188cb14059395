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

installPeers();

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

/**
 * The peers and programs the benchmarks drive (GNU parallel, Blender, Chromium) come from apt
 * where they are missing, as scripts/setup.sh --test does for the tests. Without apt (or if the
 * install fails) the benchmarks that need them skip and say so.
 */
function installPeers() {
  const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
  const missing = [
    ['parallel', 'parallel'],
    ['blender', 'blender'],
    ['chromium', 'chromium'],
  ].filter(([command]) => !has(command));
  if (missing.length === 0) return;
  const packages = missing.map(([, pkg]) => pkg);
  if (process.platform !== 'linux' || !has('apt-get')) {
    process.stderr.write(`bench: not installed: ${packages.join(', ')}; the benchmarks that need them will be skipped.\n`);
    return;
  }
  process.stderr.write(`bench: installing ${packages.join(' ')} with apt\n`);
  const asRoot = process.getuid?.() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync(asRoot ? 'apt-get' : 'sudo', asRoot ? args : ['apt-get', ...args], { stdio: 'inherit', env });
  if (apt(['update', '-qq']).status !== 0 || apt(['install', '-y', '-qq', '--no-install-recommends', ...packages]).status !== 0) {
    process.stderr.write(`bench: apt could not install ${packages.join(' ')}; the benchmarks that need them will be skipped.\n`);
  }
}
