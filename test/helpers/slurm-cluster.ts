import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real single-node Slurm (Debian's slurm-wlm 22.05 + munge) for the farm tests: its own config,
 * munge key and socket, state and spool folders in a temp dir, its own ports; the daemons run in
 * the foreground as children of the test and are stopped by their pids, so the machine is left as
 * it was. Every Slurm client call needs `env` (SLURM_CONF points at this cluster's config).
 */
export interface TestCluster {
  dir: string;
  conf: string;
  partition: string;
  /** The environment every Slurm client (sbatch, squeue…) and Spool itself must run with. */
  env: Record<string, string>;
  /** Stops slurmctld only (the farm becomes unreachable); `startController` brings it back with its saved state. */
  stopController(): Promise<void>;
  startController(): Promise<void>;
  stop(): Promise<void>;
}

export function slurmAvailable(): boolean {
  return ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/sbatch'].every((file) => existsSync(file));
}

export async function startTestCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spool-slurm-'));
  const host = os.hostname();
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  for (const sub of ['munge', 'state', 'spool', 'log']) mkdirSync(path.join(dir, sub), { mode: 0o700 });
  const key = path.join(dir, 'munge', 'munge.key');
  writeFileSync(key, Buffer.from(Array.from({ length: 1024 }, () => Math.floor(Math.random() * 256))));
  chmodSync(key, 0o600);
  const socket = path.join(dir, 'munge', 'munge.socket');
  const conf = path.join(dir, 'slurm.conf');
  const memoryMb = Math.max(512, Math.floor(os.totalmem() / 1024 / 1024) - 1024);
  writeFileSync(
    conf,
    [
      'ClusterName=spooltest',
      `SlurmctldHost=${host}`,
      'SlurmUser=root',
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/log/slurmctld.log`,
      `SlurmdLogFile=${dir}/log/slurmd.log`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'ReturnToService=2',
      'MpiDefault=none',
      // The tests poll fast; Slurm's own pacing would make them wait seconds between steps.
      'SchedulerParameters=sched_interval=1',
      'MessageTimeout=5',
      `NodeName=${host} CPUs=${os.cpus().length} RealMemory=${memoryMb} State=UNKNOWN`,
      `PartitionName=render Nodes=${host} Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4`,
      '',
    ].join('\n'),
  );
  const env = { SLURM_CONF: conf };
  const daemons: { munged?: ChildProcess; slurmctld?: ChildProcess; slurmd?: ChildProcess } = {};
  // A test process that dies abruptly must not leave a cluster behind.
  const killAll = (): void => {
    for (const child of Object.values(daemons)) child?.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const log = (name: string): number => openLog(path.join(dir, 'log', `${name}.out`));

  daemons.munged = spawn(
    '/usr/sbin/munged',
    ['-F', '--force', `--socket=${socket}`, `--key-file=${key}`, `--pid-file=${dir}/munge/munged.pid`, `--log-file=${dir}/log/munged.log`, `--seed-file=${dir}/munge/seed`],
    { stdio: ['ignore', log('munged'), log('munged')] },
  );
  await waitFor(() => existsSync(socket), 10_000, () => `munged did not start: ${tail(path.join(dir, 'log', 'munged.log'))}`);

  const startController = async (): Promise<void> => {
    daemons.slurmctld = spawn('/usr/sbin/slurmctld', ['-D', '-f', conf], { stdio: ['ignore', log('slurmctld'), log('slurmctld')], env: { ...process.env, ...env } });
    await waitFor(() => answers(env), 30_000, () => `slurmctld did not answer: ${tail(path.join(dir, 'log', 'slurmctld.log'))}`);
  };
  await startController();
  daemons.slurmd = spawn('/usr/sbin/slurmd', ['-D', '-f', conf, '-N', host], { stdio: ['ignore', log('slurmd'), log('slurmd')], env: { ...process.env, ...env } });
  await waitFor(() => nodeIdle(env), 30_000, () => `the node did not become idle: ${tail(path.join(dir, 'log', 'slurmd.log'))}`);

  const stopOne = async (child: ChildProcess | undefined): Promise<void> => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };

  return {
    dir,
    conf,
    partition: 'render',
    env,
    stopController: () => stopOne(daemons.slurmctld),
    startController,
    async stop() {
      // Jobs still running would keep slurmstepd processes around after slurmd has gone.
      try {
        execFileSync('scancel', ['--full', '--quiet', '--partition=render'], { env: { ...process.env, ...env }, stdio: 'ignore', timeout: 5000 });
      } catch {
        // Nothing to cancel, or the controller is already down.
      }
      await stopOne(daemons.slurmd);
      await stopOne(daemons.slurmctld);
      await stopOne(daemons.munged);
      process.off('exit', killAll);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function answers(env: Record<string, string>): boolean {
  try {
    execFileSync('sinfo', ['-h', '-o', '%P'], { env: { ...process.env, ...env }, stdio: 'pipe', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

function nodeIdle(env: Record<string, string>): boolean {
  try {
    const out = execFileSync('sinfo', ['-h', '-o', '%t'], { env: { ...process.env, ...env }, stdio: 'pipe', timeout: 5000 }).toString();
    return /\bidle\b|\bmix\b|\balloc\b/.test(out);
  } catch {
    return false;
  }
}

function openLog(file: string): number {
  return openSync(file, 'a');
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-8).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitFor(check: () => boolean, timeoutMs: number, message: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(message());
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
