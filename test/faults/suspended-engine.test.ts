import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { quote, tempDir } from '../helpers/fake-dcc';
import { privateFakeDcc } from '../chaos/support';
import { killHard, spool, startEngineProcess } from '../helpers/spool-cli';
import { sleep, waitFor } from '../helpers/wait';

/**
 * The engine itself is suspended (kill -STOP, a laptop lid) while a renderer keeps ticking (issue
 * 15, finding 8). The renderer's lines of that time wait in the pipe: on resume they must be read
 * before a stall is judged, and the silence the engine saw while stopped is not the renderer's.
 */

const engines: ReturnType<typeof startEngineProcess>[] = [];
afterEach(async () => {
  for (const proc of engines.splice(0)) {
    proc.child.kill('SIGCONT');
    await killHard(proc);
  }
});

describe.skipIf(process.platform === 'win32')('an engine suspended longer than the stall limit', () => {
  it('a renderer that kept printing is not called stalled after SIGCONT', { timeout: 60_000 }, async () => {
    const dir = tempDir('spool-suspend-');
    const data = path.join(dir, 'data');
    const fake = privateFakeDcc(dir);
    // A line every 200 ms for ~6 s; the engine is stopped for 5 s with a 2 s stall limit.
    const template = `${quote(process.execPath)} ${quote(fake)} --start {start} --end {end} --out {output} --ms-per-frame 800`;
    const output = path.join(dir, 'out', 'f_####.png');
    const submitted = await spool(data, ['submit', '--dcc', 'command', '--template', template, '--frames', '1-8', '--chunk', '8', '--output', output, '--stall-timeout', '2', '--retries', '0']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const proc = startEngineProcess(data, ['--until-idle']);
    engines.push(proc);
    await waitFor('frame 1 on disk', () => (existsSync(path.join(dir, 'out', 'f_0001.png')) ? true : undefined), 30_000);
    proc.child.kill('SIGSTOP');
    await sleep(5000);
    proc.child.kill('SIGCONT');
    await proc.exited;
    expect(proc.output()).toContain('succeeded (8/8 frames)');
    expect(proc.output()).not.toContain('no output for');
  });
});
