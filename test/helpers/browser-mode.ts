import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(REPO, 'out', 'node', 'spool.mjs');
const URL_LINE = /^(http:\/\/127\.0\.0\.1:(\d+))\/\?token=([A-Za-z0-9_-]+)$/;

export interface BrowserMode {
  /** Ready to open: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  token: string;
  process: ChildProcess;
  /** What the server printed so far, for failure messages. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM, then waits for a clean exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/**
 * Runs the real `spool serve` (the CLI bundle test/global-setup.ts builds) on a free port (or the
 * one given, to restart a server where its tabs expect it) with its own data dir, and resolves once it printed its address.
 */
export function startBrowserMode(opts: { dataDir: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; port?: number; args?: string[] }): Promise<BrowserMode> {
  const argv = [CLI, '--data-dir', opts.dataDir, 'serve', '--port', String(opts.port ?? 0), ...(opts.args ?? [])];
  const child = spawn(process.execPath, argv, {
    cwd: REPO,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  // 'close', not 'exit': by then its last words on stdout/stderr have been read too.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<BrowserMode>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`spool serve printed no address within ${opts.timeoutMs ?? 20_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`spool serve exited (${code ?? signal}) before it was ready\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      for (const line of stdout.split('\n')) {
        const match = URL_LINE.exec(line.trim());
        if (!match) continue;
        clearTimeout(timer);
        resolve({ url: match[0], origin: match[1]!, token: match[3]!, process: child, output: () => ({ stdout, stderr }), stop });
        return;
      }
    });
  });
}
