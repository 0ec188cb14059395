/**
 * The floor under any Node dispatcher: N runs of a program, `jobs` at a time, with plain
 * child_process.spawn in its own process group and piped output, as Spool's supervisor spawns
 * them — and nothing else (no store, no log file, no bookkeeping).
 *
 *   node spawn-loop.mjs N JOBS PROGRAM
 */
import { spawn } from 'node:child_process';

const [count, jobs, program] = process.argv.slice(2);
if (!count || !jobs || !program) throw new Error('usage: spawn-loop N JOBS PROGRAM');

let next = 0;
async function lane(): Promise<void> {
  while (next < Number(count)) {
    next++;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(program!, [], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.resume();
      child.stderr.resume();
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${program} exited with ${code}`))));
    });
  }
}
await Promise.all(Array.from({ length: Number(jobs) }, lane));
