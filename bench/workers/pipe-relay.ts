/**
 * The floor under any Node supervisor of a chatty child: run it with piped stdout and copy the
 * bytes to a file with back-pressure — no line splitting, no parsing, no store.
 *
 *   node pipe-relay.mjs FILE PROGRAM ARGS...
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const [file, program, ...args] = process.argv.slice(2);
if (!file || !program) throw new Error('usage: pipe-relay FILE PROGRAM ARGS...');

const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'inherit'] });
child.stdout.pipe(out);
const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
await new Promise<void>((resolve) => out.end(() => resolve()));
process.exitCode = code ?? 1;
