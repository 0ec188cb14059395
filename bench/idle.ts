/**
 * idle: what an idle engine costs, as it sits in the tray all day (often on a laptop). `spool
 * serve` on an empty queue, once its start-up detection has settled: CPU time over 60 s from
 * /proc (user + system ticks), as a share of one core, and its resident memory. Linux only.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, limitRow, log, removeDir, tempDir, type Bench, type Row } from './lib';

const WINDOW_MS = 60_000;
/**
 * Measured from a minute after start: for about that long V8 keeps collecting what start-up
 * (detection, module loading) left behind — 13 ticks in the first minute here, against 4 in the
 * second. The tray engine's cost is the second figure, all day.
 */
const SETTLE_MS = 60_000;
const TICKS_PER_SECOND = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function cpuTicks(pid: number): number {
  // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

async function measureOnce(dataDir: string): Promise<{ percent: number; rss: number }> {
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (/ready/i.test(out)) resolve();
      });
      child.once('error', reject);
      child.once('close', (code) => reject(new Error(`spool serve exited with ${code} before it was ready`)));
    });
    await sleep(SETTLE_MS);
    const before = cpuTicks(child.pid!);
    await sleep(WINDOW_MS);
    const ticks = cpuTicks(child.pid!) - before;
    return { percent: (ticks / TICKS_PER_SECOND / (WINDOW_MS / 1000)) * 100, rss: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export const idle: Bench = async ({ rounds, notes }) => {
  if (process.platform !== 'linux') {
    notes.push('idle: skipped (reads /proc: Linux only).');
    return [];
  }
  const percents: number[] = [];
  const rss: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const dir = tempDir('idle');
    try {
      const m = await measureOnce(dir);
      log(`  idle round ${round + 1}: ${m.percent.toFixed(3)} % of a core, ${m.rss.toFixed(1)} MB`);
      percents.push(m.percent);
      rss.push(m.rss);
    } finally {
      removeDir(dir);
    }
  }
  notes.push('idle: CPU is counted in 10 ms ticks, so 60 s resolve 0.017 % of a core.');
  const rows: Row[] = [
    limitRow({ bench: 'idle', figure: '`spool serve`, empty queue, the minute after its first: CPU', unit: '% of a core', values: percents, max: 0.1 }),
    limitRow({ bench: 'idle', figure: '`spool serve`, empty queue: resident memory', unit: 'MB', values: rss }),
  ];
  return rows;
};
