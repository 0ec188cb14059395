/**
 * startup: from process start to an engine that accepts work — `spool run` printing its ready line,
 * and a bare script that starts the Engine and submits one job — with an empty store and with one
 * holding 5,000 finished jobs. The peer is Node itself starting and printing a line: the floor.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CLI, WORKERS, log, ratioRow, removeDir, tempDir, type Bench, type Row } from './lib';
import { seedStore } from './seed';

const HISTORY = 5000;

/**
 * Spawn to the first stdout line matching `ready`. Resolves only once the process is gone again
 * (SIGTERM, as Ctrl-C would), so the next start never meets a lock still held.
 */
function timeToLine(args: string[], ready: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let readyMs: number | null = null;
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (readyMs === null && ready.test(out)) {
        readyMs = performance.now() - started;
        child.kill('SIGTERM');
      }
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (readyMs !== null) resolve(readyMs);
      else reject(new Error(`exited with ${code} before it was ready\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

export const startup: Bench = async ({ rounds }) => {
  const root = tempDir('startup');
  try {
    const full = path.join(root, 'history');
    log(`  startup: seeding ${HISTORY.toLocaleString('en-US')} finished jobs…`);
    seedStore(full, { jobs: HISTORY, framesPerJob: 50, chunk: 10 });

    const node: number[] = [];
    const series: Record<string, number[]> = { 'run-empty': [], 'run-full': [], 'api-empty': [], 'api-full': [] };
    for (let round = 0; round < rounds; round++) {
      const empty = path.join(root, `empty-${round}`);
      const cases: [string, () => Promise<number>][] = [
        ['node', () => timeToLine(['-e', "process.stdout.write('ready\\n')"], /ready/)],
        ['run-empty', () => runReady(empty)],
        ['run-full', () => runReady(full)],
        ['api-empty', () => timeToLine([path.join(WORKERS, 'startup-engine.mjs'), path.join(root, `api-empty-${round}`)], /accepted/)],
        ['api-full', () => timeToLine([path.join(WORKERS, 'startup-engine.mjs'), full], /accepted/)],
      ];
      for (let i = 0; i < cases.length; i++) {
        const [name, measure] = cases[(i + round) % cases.length]!;
        const ms = await measure();
        (name === 'node' ? node : series[name]!).push(ms);
        log(`  startup round ${round + 1}: ${name} ${ms.toFixed(0)} ms`);
      }
    }
    const peerName = 'node -e (bare Node)';
    const rows: Row[] = [
      ratioRow({ bench: 'startup', figure: '`spool run` to its ready line, empty store', unit: 'ms', spool: series['run-empty']!, peer: node, peerName }),
      ratioRow({ bench: 'startup', figure: `\`spool run\` to its ready line, ${HISTORY.toLocaleString('en-US')} finished jobs`, unit: 'ms', spool: series['run-full']!, peer: node, peerName }),
      ratioRow({ bench: 'startup', figure: 'Engine.start + submit one job, empty store', unit: 'ms', spool: series['api-empty']!, peer: node, peerName }),
      ratioRow({ bench: 'startup', figure: `Engine.start + submit one job, ${HISTORY.toLocaleString('en-US')} finished jobs`, unit: 'ms', spool: series['api-full']!, peer: node, peerName }),
    ];
    return rows;
  } finally {
    removeDir(root);
  }
};

function runReady(dataDir: string): Promise<number> {
  return timeToLine([CLI, '--data-dir', dataDir, 'run'], /Spool engine running on/);
}
