import { execFileSync } from 'node:child_process';

/** Tests spawn the real CLI bundle, so it is rebuilt from the sources once per run. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { stdio: 'inherit' });
}
