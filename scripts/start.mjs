// npm start: the desktop app where Electron's binary is installed, browser mode (`spool serve`)
// where it is not (its download fails without internet access) or where there is no display.
// Builds what is missing first. Arguments after `npm start --` go to the app or to `spool serve`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const at = (...parts) => path.join(root, ...parts);
const args = process.argv.slice(2);

function step(what, file, stepArgs) {
  process.stdout.write(`start: ${what}…\n`);
  const result = spawnSync(process.execPath, [file, ...stepArgs], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`start: ${what} failed (exit ${result.status ?? result.signal}); fix the error above and run npm start again\n`);
    process.exit(result.status || 1);
  }
}

/** `require('electron')` is the binary's path, and throws when the binary was never downloaded. */
function electronBinary() {
  try {
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Runs a child in the foreground: Ctrl-C reaches it through the terminal, and we wait for it to finish. */
function foreground(file, childArgs) {
  const child = spawn(file, childArgs, { cwd: root, stdio: 'inherit' });
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (!existsSync(at('out', 'node', 'spool.mjs'))) step('building the engine and CLI', at('scripts', 'build-node.mjs'), []);
if (!existsSync(at('out', 'renderer', 'index.html')) && existsSync(at('vite.renderer.config.ts'))) {
  step('building the interface', at('node_modules', 'vite', 'bin', 'vite.js'), ['build', '--config', 'vite.renderer.config.ts']);
}

const electron = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

if (electron && !noDisplay) {
  if (!existsSync(at('out', 'main', 'index.js')) || !existsSync(at('out', 'preload', 'index.cjs'))) {
    step('building the desktop app', at('node_modules', 'electron-vite', 'bin', 'electron-vite.js'), ['build']);
  }
  foreground(electron, [root, ...args]);
} else {
  process.stdout.write(
    electron
      ? 'There is no display to open a window on: starting Spool in browser mode instead.\n'
      : 'Electron is not installed on this machine (its binary could not be downloaded): starting Spool in browser mode instead.\n',
  );
  foreground(process.execPath, [at('out', 'node', 'spool.mjs'), 'serve', ...args]);
}
