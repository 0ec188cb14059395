import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { CLI } from './fake-dcc';

/** The real CLI bundle (`npm run build:node`) as a user runs it, for every suite that drives it from outside. */

export interface SpoolResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpoolOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs `spool --data-dir DIR ...args` to completion; async so that many can run at once. */
export function spool(dataDir: string, args: string[], opts: SpoolOptions = {}): Promise<SpoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * The same, blocking the test's process until the CLI exits. An engine running inside the test
 * stands still meanwhile, so what the test reads right after is the state the command left, before
 * the engine acted on it (cli.pause reads the frames done at the moment `spool pause` returned).
 */
export function spoolSync(dataDir: string, args: string[], opts: SpoolOptions = {}): SpoolResult {
  const r = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, ...args], {
    encoding: 'utf8',
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    timeout: opts.timeoutMs ?? 120_000,
    // `spool frames` and `spool logs` print tens of megabytes in the tests of big jobs.
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** `spool run` in the background; its output is kept for the failure message of a test. */
export function startEngineProcess(dataDir: string, args: string[] = []): { child: ChildProcess; output: () => string; exited: Promise<void> } {
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => output, exited };
}

export async function killHard(proc: { child: ChildProcess; exited: Promise<void> }): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  // Awaiting the exit lets Node reap it: an unreaped engine would still look alive by pid + start time.
  await proc.exited;
}
