// Builds better-sqlite3 for Electron's ABI into native/electron/better_sqlite3.node.
//
// node_modules keeps the Node build (the CLI, browser mode and the tests use it); the app loads
// this one through SPOOL_SQLITE_BINDING. The build runs in a temporary copy of the package, so
// node_modules is never rebuilt, and checks afterwards that the Node build is byte-for-byte intact.
// It needs Electron's headers (or a prebuilt binary) from the internet and a C++ toolchain; where
// either is missing it fails with a message saying so.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const modules = path.join(root, 'node_modules');
const source = path.join(modules, 'better-sqlite3');
const nodeBuild = path.join(source, 'build', 'Release', 'better_sqlite3.node');
const outDir = path.join(root, 'native', 'electron');
const electronVersion = JSON.parse(readFileSync(path.join(modules, 'electron', 'package.json'), 'utf8')).version;
const arch = process.env.npm_config_arch || process.arch;

const say = (line) => process.stdout.write(`build-electron-native: ${line}\n`);
const fail = (line) => {
  process.stderr.write(`build-electron-native: ${line}\n`);
  process.exitCode = 1;
};
const digest = (file) => (existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : null);

function run(file, args, cwd) {
  say(`${path.basename(file)} ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [file, ...args], { cwd, stdio: 'inherit', env: { ...process.env, npm_config_runtime: 'electron' } });
  return result.status === 0;
}

const before = digest(nodeBuild);
const work = mkdtempSync(path.join(os.tmpdir(), 'spool-electron-sqlite-'));
const copy = path.join(work, 'better-sqlite3');
try {
  // Sources only: the copy must not carry the Node build out of node_modules/better-sqlite3/build.
  cpSync(source, copy, { recursive: true, filter: (from) => path.relative(source, from).split(path.sep)[0] !== 'build' });
  say(`building better-sqlite3 for Electron ${electronVersion} (${process.platform}-${arch}) in ${copy}`);

  // A published prebuilt binary first (no compiler needed), then a source build against Electron's headers.
  const built =
    run(path.join(modules, 'prebuild-install', 'bin.js'), ['--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--verbose'], copy) ||
    run(
      path.join(modules, 'node-gyp', 'bin', 'node-gyp.js'),
      ['rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers', `--arch=${arch}`],
      copy,
    );
  const binary = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (!built || !existsSync(binary)) {
    fail(
      `could not build better-sqlite3 for Electron ${electronVersion}. A prebuilt binary and Electron's headers ` +
        '(https://electronjs.org/headers) are downloaded from the internet, and a source build needs Python and a C++ toolchain: ' +
        'check the messages above. native/electron/ was left as it was; node_modules was not touched.',
    );
  } else {
    mkdirSync(outDir, { recursive: true });
    copyFileSync(binary, path.join(outDir, 'better_sqlite3.node'));
    writeFileSync(
      path.join(outDir, 'build-info.json'),
      `${JSON.stringify({ electron: electronVersion, platform: process.platform, arch, builtAt: new Date().toISOString() }, null, 2)}\n`,
    );
    say(`wrote ${path.relative(root, path.join(outDir, 'better_sqlite3.node'))}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  if (digest(nodeBuild) !== before) fail(`${path.relative(root, nodeBuild)} changed during the build: reinstall better-sqlite3 (npm rebuild better-sqlite3)`);
}
