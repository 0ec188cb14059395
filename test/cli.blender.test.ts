import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBlenderScene } from './helpers/blender';
import { CLI, tempDir } from './helpers/fake-dcc';
import { spoolSync } from './helpers/spool-cli';

/**
 * The "done when", for real: Debian's Blender renders through `spool submit --wait`,
 * a denoising scene fails with its reason, odd paths are data, SIGKILL mid-job is survived.
 */
/** Live Blender processes; a zombie (state Z) is dead and only waits for its reaper. */
function liveBlenderPids(): number[] {
  const out = spawnSync('ps', ['-C', 'blender', '-o', 'pid=,stat='], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, stat]) => pid && stat && !stat.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

let dir: string;
let scene: string;
beforeAll(async () => {
  dir = tempDir('spool-cli-');
  scene = await makeBlenderScene(dir, { file: 'spin.blend', start: 1, end: 24 });
}, 120_000);

describe('spool CLI with real Blender', () => {
  it('renders frames 1-6 through submit --wait: six PNGs on disk, JSON as documented', () => {
    const data = path.join(dir, 'd1');
    const out = path.join(dir, 'render', 'spin_####');
    const r = spoolSync(data, ['submit', scene, '--frames', '1-6', '--output', out, '--wait', '--json']);
    expect(r.stderr).not.toMatch(/spool:/);
    expect(r.stderr).toMatch(/frame 6 done/);
    expect(r.code).toBe(0);
    const job = JSON.parse(r.stdout);
    expect(job.status).toBe('succeeded');
    expect(job.reason).toBeNull();
    expect(job.frames).toHaveLength(6);
    for (const frame of job.frames) {
      expect(frame.status).toBe('done');
      expect(frame.output).toBe(path.join(dir, 'render', `spin_${String(frame.frame).padStart(4, '0')}.png`));
      expect(statSync(frame.output).size).toBeGreaterThan(0);
    }
    expect(readdirSync(path.join(dir, 'render')).filter((f) => f.endsWith('.png'))).toHaveLength(6);

    const listed = JSON.parse(spoolSync(data, ['jobs', '--json']).stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: job.id, status: 'succeeded' });
    expect(listed[0].frames).toBeUndefined();
  });

  it('fails a denoising scene with the reason shown and no frame done', async () => {
    const denoise = await makeBlenderScene(dir, { file: 'denoise.blend', start: 1, end: 2, denoise: true });
    const data = path.join(dir, 'd2');
    const r = spoolSync(data, ['submit', denoise, '--frames', '1-2', '--output', path.join(dir, 'dn', 'f_####'), '--wait', '--json']);
    expect(r.code).toBe(1);
    const job = JSON.parse(r.stdout);
    expect(job.status).toBe('failed');
    expect(job.reason).toMatch(/OpenImageDenoise/);
    expect(job.frames.every((f: { status: string }) => f.status !== 'done')).toBe(true);
    expect(existsSync(path.join(dir, 'dn'))).toBe(true);
    expect(readdirSync(path.join(dir, 'dn'))).toEqual([]);
  });

  it('renders a scene whose path has spaces, quotes, $(...) and non-ASCII letters', async () => {
    const odd = path.join(dir, `it's "odd" $(touch pwned) ; \`x\` Ünïcødé`);
    const oddScene = await makeBlenderScene(odd, { file: `scène "1" $(id).blend`, start: 1, end: 2 });
    const data = path.join(dir, 'd3');
    const r = spoolSync(data, ['submit', oddScene, '--frames', '1-2', '--output', path.join(odd, 'out', 'f_####'), '--wait', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).frames.map((f: { status: string }) => f.status)).toEqual(['done', 'done']);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    expect(existsSync('pwned')).toBe(false);
  });

  it('refuses bad frame sets and missing files with exit 2 and a clear message', () => {
    const data = path.join(dir, 'd4');
    const bad = spoolSync(data, ['submit', scene, '--frames', '1-x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"1-x": expected a frame number at column 3');
    const missing = spoolSync(data, ['submit', path.join(dir, 'nope.blend'), '--frames', '1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`scene file not found: ${path.join(dir, 'nope.blend')}`);
    const flag = spoolSync(data, ['submit', scene, '--priority', 'high']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--priority: expected a whole number, got "high"');
    expect(spoolSync(data, ['show', '999']).code).toBe(3);
    expect(JSON.parse(spoolSync(data, ['jobs', '--json']).stdout)).toEqual([]);
  });

  it('survives SIGKILL of the engine mid-job: resumes without re-rendering and leaves no Blender behind', async () => {
    const data = path.join(dir, 'd5');
    const out = path.join(dir, 'kill', 'f_####');
    // Slower frames than the other tests, so that the kill lands mid-job.
    const slow = await makeBlenderScene(dir, { file: 'slow.blend', start: 1, end: 24, resolution: [96, 54], samples: 48 });
    const submitted = spoolSync(data, ['submit', slow, '--frames', '1-24', '--chunk', '24', '--output', out]);
    expect(submitted.code).toBe(0);
    const id = Number(submitted.stdout.trim());

    const engine = spawn(process.execPath, [CLI, '--data-dir', data, 'run'], { stdio: 'ignore' });
    // Wait until a few frames are checkpointed, then kill the engine without warning.
    const deadline = Date.now() + 90_000;
    let doneBefore = 0;
    while (Date.now() < deadline) {
      const shown = JSON.parse(spoolSync(data, ['show', String(id), '--json']).stdout);
      doneBefore = shown.frames.filter((f: { status: string }) => f.status === 'done').length;
      if (doneBefore >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(doneBefore).toBeGreaterThanOrEqual(3);
    engine.kill('SIGKILL');
    await new Promise((resolve) => engine.once('exit', resolve));
    const before = JSON.parse(spoolSync(data, ['show', String(id), '--json']).stdout);
    const doneAtKill = new Map<number, number>(
      before.frames.filter((f: { status: string }) => f.status === 'done').map((f: { frame: number; output: string }) => [f.frame, statSync(f.output).mtimeMs]),
    );

    const resumed = spoolSync(data, ['run', '--until-idle']);
    expect(resumed.code).toBe(0);
    const after = JSON.parse(spoolSync(data, ['show', String(id), '--json']).stdout);
    expect(after.status).toBe('succeeded');
    expect(doneAtKill.size).toBeLessThan(24);
    expect(after.frames.every((f: { status: string }) => f.status === 'done')).toBe(true);
    // Frames done before the kill were not rendered again: their files were not rewritten.
    for (const [frame, mtime] of doneAtKill) {
      const record = after.frames.find((f: { frame: number }) => f.frame === frame);
      expect(statSync(record.output).mtimeMs).toBe(mtime);
    }
    // The orphan Blender of the killed engine was proven ours and stopped.
    const orphan = before.attempts[0].pid as number;
    expect(liveBlenderPids()).not.toContain(orphan);
    expect(after.attempts[0].reason).toMatch(/interrupted/);
  });
});
