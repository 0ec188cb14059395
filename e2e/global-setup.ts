import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BUILT = path.join(REPO, 'out', 'renderer', 'index.html');

/** What the renderer bundle is made from; a change to any of them makes the build stale. */
const SOURCES = ['src-renderer', 'vite.renderer.config.ts', 'src-preload/contract.ts', 'src-main/engine/types.ts', 'src-main/engine/frames', 'src-main/engine/lifecycle'];

function newestMtime(entry: string): number {
  const full = path.join(REPO, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/**
 * Browser mode serves out/renderer, so the e2e tests need it built from the current sources.
 * Skipped when the build is newer than every source: most runs cost nothing here.
 */
export default function setup(): void {
  const built = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
  const sources = Math.max(...SOURCES.map(newestMtime));
  if (built > sources) return;
  execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--mode', 'production', '--logLevel', 'warn'], {
    cwd: REPO,
    stdio: 'inherit',
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's slow development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
