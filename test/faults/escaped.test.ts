import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { tempDir } from '../helpers/fake-dcc';
import { isLive } from '../chaos/support';
import { killHard, spool, startEngineProcess } from '../helpers/spool-cli';
import { waitFor } from '../helpers/wait';

/**
 * A renderer that leaves a ticking process outside its process group, holding its stdout (issue 15,
 * finding 1): the attempt must end, the next job must get the slot, and `spool run` must stop on
 * SIGTERM, taking the escaped process with it. Bounds are the harness's (test timeouts).
 */

let engine: Engine | null = null;
const engines: ReturnType<typeof startEngineProcess>[] = [];
const strays: number[] = [];
afterEach(async () => {
  await engine?.stop();
  engine = null;
  for (const proc of engines.splice(0)) await killHard(proc);
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone, as it should be */
    }
  }
});

/** A command template that starts `setsid` ticker writing its pid to pidFile, then does `tail`. */
function escapingScript(dir: string, pidFile: string, tail: string): string {
  const file = path.join(dir, 'r.sh');
  writeFileSync(file, `#!/bin/bash\nsetsid bash -c 'echo $$ > ${pidFile}; while true; do echo tick; sleep 0.2; done' &\n${tail}\n`, { mode: 0o755 });
  return file;
}

function readPid(pidFile: string): number {
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!(pid > 1)) throw new Error(`no pid yet in ${pidFile}`);
  strays.push(pid);
  return pid;
}

describe.skipIf(process.platform !== 'linux')('a process that escaped the group and holds the pipes', () => {
  it('the attempt ends, the escaped ticker is stopped and the next job gets the slot', { timeout: 30_000 }, async () => {
    const dir = tempDir('spool-escape-');
    const pidFile = path.join(dir, 'ticker.pid');
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500, retryBaseMs: 100, logicalCores: 1, detect: false });
    const script = escapingScript(dir, pidFile, 'sleep 0.3; exit 0');
    const first = await engine.submit({ dcc: 'command', frames: '1', retries: 0, taskTimeoutSec: 5, stallTimeoutSec: 5, overrides: { template: script } });
    const next = await engine.submit({ dcc: 'command', frames: '1', retries: 0, overrides: { template: 'true' } });
    await engine.untilIdle();
    expect(engine.jobDetail(first.id).job.status).toBe('succeeded');
    expect(engine.jobDetail(next.id).job.status).toBe('succeeded');
    expect(isLive(readPid(pidFile))).toBe(false);
  });

  it('`spool run` stops on SIGTERM while the render and its escaped ticker run, and the ticker goes with it', { timeout: 60_000 }, async () => {
    const dir = tempDir('spool-escape-');
    const data = path.join(dir, 'data');
    const pidFile = path.join(dir, 'ticker.pid');
    const script = escapingScript(dir, pidFile, 'exec sleep 100');
    const submitted = await spool(data, ['submit', '--dcc', 'command', '--template', script, '--frames', '1', '--retries', '0']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const proc = startEngineProcess(data);
    engines.push(proc);
    const ticker = await waitFor('the escaped ticker to start', () => {
      try {
        return readPid(pidFile);
      } catch {
        return undefined;
      }
    }, 20_000);
    proc.child.kill('SIGTERM');
    await proc.exited;
    expect(proc.child.exitCode, proc.output()).toBe(130);
    expect(isLive(ticker)).toBe(false);
  });
});
