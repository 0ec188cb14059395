import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src-main/engine/engine';
import { isCompleteImage } from '../src-main/engine/image-check';
import { renderReport } from '../src-main/engine/report';
import { formatDuration } from '../src-main/engine/supervisor/format-duration';
import { BLENDER, makeBlenderScene } from './helpers/blender';
import { CLI, quote, tempDir } from './helpers/fake-dcc';
import { savedCountsOf } from './helpers/slow-blender';
import { slurmAvailable, startTestCluster, type TestCluster } from './helpers/slurm-cluster';
import { waitFor } from './helpers/wait';

/**
 * Farm jobs through a real single-node Slurm 22.05 (Debian's slurm-wlm + munge, started here from
 * a temporary config) with real Blender. The farm sees the shared folder under another path (a
 * symlink), so scene, output, logs and `Saved:` lines all cross the path mapping.
 */
let cluster: TestCluster;
let dir: string;
let shared: string;
let farmView: string;
let scene: string;
let engine: Engine | null = null;

beforeAll(async () => {
  if (!slurmAvailable()) return;
  cluster = await startTestCluster();
  Object.assign(process.env, cluster.env);
  dir = tempDir('spool-farm-blender-');
  shared = path.join(dir, 'shared');
  farmView = path.join(dir, 'farm view');
  mkdirSync(shared);
  symlinkSync(shared, farmView);
  scene = await makeBlenderScene(shared, { file: 'shot.blend', start: 1, end: 12, resolution: [64, 36], samples: 4 });
}, 120_000);

afterEach(async () => {
  await engine?.stop();
  engine = null;
});

afterAll(async () => {
  await cluster?.stop();
});

async function startEngine(dataDir: string, options: Partial<Parameters<typeof Engine.start>[0]> = {}): Promise<Engine> {
  engine = await Engine.start({ dataDir, detect: false, watchPollMs: 0, killGraceMs: 1000, farmPollMs: 200, retryBaseMs: 10, ...options });
  engine.saveFarm({ kind: 'slurm', name: 'lab', partition: cluster.partition, pathMap: [{ local: shared, farm: farmView }] });
  return engine;
}

/** Slurm and Blender are slow on a busy machine: a farm wait gets 90 s unless told. */
const until = (what: string, test: () => boolean, ms = 90_000): Promise<boolean> => waitFor(what, test, ms);

/** Open fs.watch handles of this process (a closed one is gone one turn of the event loop later). */
function watchHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
}

/**
 * Each frame's time as Blender itself measured it: the ` Time: MM:SS.hh (Saving: …)` line after
 * its `Saved:` line, read from the attempts' logs (the farm's own bytes), in milliseconds.
 */
function blenderTimes(e: Engine, id: number): Map<number, number> {
  const times = new Map<number, number>();
  for (const attempt of e.jobDetail(id).attempts) {
    const text = existsSync(attempt.logPath) ? readFileSync(attempt.logPath, 'utf8') : '';
    for (const m of text.matchAll(/^Saved: '.*?(\d+)\.png'\n Time: (\d+):(\d+)\.(\d+) /gm)) {
      times.set(Number(m[1]), (Number(m[2]) * 60 + Number(m[3])) * 1000 + Number(m[4]) * 10);
    }
  }
  return times;
}

/** Elements of arrays this test's cluster still runs or holds. */
function liveElements(): string[] {
  const out = spawnSync('squeue', ['-h', '-r', '-t', 'PD,R,CG', '-o', '%i %T'], { encoding: 'utf8', env: { ...process.env, ...cluster.env } });
  return out.stdout.split('\n').filter(Boolean);
}

describe.skipIf(!slurmAvailable())('farm jobs on a real Slurm with real Blender', () => {
  it('renders 12 frames in 3 chunks as one array job: Saved: lines live, frames verified on disk, farm ids on attempts', async () => {
    const e = await startEngine(path.join(dir, 'data-main'));
    const live: string[] = [];
    e.on('log', (event) => {
      if (/Saved:/.test(event.line) && e.job(event.jobId).status === 'running') live.push(event.line);
    });
    const job = await e.submit({ scene, frames: '1-12', chunk: 4, slots: 3, retries: 0, farm: 'lab', output: path.join(shared, 'main', 'f_####') });
    await until('the job to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
    const detail = e.jobDetail(job.id);
    expect(detail.job.status).toBe('succeeded');
    expect(detail.job.framesDone).toBe(12);
    for (let f = 1; f <= 12; f++) expect(isCompleteImage(path.join(shared, 'main', `f_${String(f).padStart(4, '0')}.png`))).toBe(true);
    // Lines came while the job ran, with this machine's paths (the farm printed its own).
    expect(live.length).toBeGreaterThanOrEqual(1);
    expect(live[0]).toContain(shared);
    const subs = e.store.farms.submissionsOf(job.id);
    expect(subs).toHaveLength(1);
    expect(subs[0]!.taskIds).toHaveLength(3);
    expect(detail.attempts.map((a) => e.store.farms.farmIdOf(a.id))).toEqual([0, 1, 2].map((i) => `${subs[0]!.farmJobId}_${i}`));
    // The attempt's log keeps the farm's own bytes: the farm-side path.
    expect(readFileSync(detail.attempts[0]!.logPath, 'utf8')).toContain(`Saved: '${farmView}`);
    expect([...savedCountsOf(e, job.id).values()].every((n) => n === 1)).toBe(true);
    // Which farm, its ids and how to look there: in the job's detail and in reports.
    const array = subs[0]!.farmJobId!;
    const see = `squeue -r -j ${array}   (or: scontrol show job ${array})`;
    expect(detail.farm).toEqual({ farm: 'lab', kind: 'slurm', handoffs: [{ farmJobId: array, tag: subs[0]!.tag, elements: [0, 1, 2].map((i) => `${array}_${i}`), see }] });
    const report = renderReport(e.store, 'json', { ids: [job.id] }).report.jobs[0]!;
    expect(report.devices).toEqual(['farm lab']);
    expect(report.farm).toEqual(detail.farm);
    const line = `lab (slurm): job ${array} (${array}_0, ${array}_1, ${array}_2) — see it there: ${see}`;
    expect(renderReport(e.store, 'md', { ids: [job.id] }).text).toContain(`- Farm: ${line}`);
    expect(renderReport(e.store, 'html', { ids: [job.id] }).text).toContain(`<dd>${line}</dd>`);
  });

  it("a farm frame's render time is Blender's own `Time:` for it, not when its lines reached Spool; reports show those times", async () => {
    const e = await startEngine(path.join(dir, 'data-times'));
    const job = await e.submit({ scene, frames: '1-4', chunk: 2, slots: 2, retries: 0, farm: 'lab', output: path.join(shared, 'times', 'f_####') });
    await until('the job to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
    expect(e.job(job.id).status).toBe('succeeded');
    const printed = blenderTimes(e, job.id);
    expect([...printed.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    const stored = new Map(e.jobDetail(job.id).frames.map((f) => [f.frame, f.renderMs]));
    expect(stored).toEqual(printed);
    const report = renderReport(e.store, 'json', { ids: [job.id] }).report.jobs[0]!;
    expect(new Map(report.frames.map((f) => [f.frame, f.renderMs]))).toEqual(printed);
    const html = renderReport(e.store, 'html', { ids: [job.id] }).text;
    for (const [frame, ms] of printed) expect(html).toContain(`<title>frame ${frame}: ${formatDuration(ms)}</title>`);
  });

  it('a chunk failing on frames 5-6 (a command template) fails alone; retry hands off only those frames again', async () => {
    const e = await startEngine(path.join(dir, 'data-fail'));
    const mark = path.join(shared, 'fail-5-6');
    writeFileSync(mark, '');
    const script = path.join(shared, 'fail_5_6.py');
    writeFileSync(
      script,
      `import bpy, os\ndef fail(scene, *args):\n    if scene.frame_current in (5, 6) and os.path.exists(${JSON.stringify(mark)}):\n        print('Error: planned failure on frame %d' % scene.frame_current, flush=True)\n        os._exit(3)\nbpy.app.handlers.render_pre.append(fail)\n`,
    );
    const template = `${quote(BLENDER)} -b {scene} --python ${quote(script)} -o {output} -s {start} -e {end} -a`;
    const output = path.join(shared, 'fail', 'f_####.png');
    const job = await e.submit({ scene, dcc: 'command', frames: '3-8', chunk: 2, slots: 3, retries: 0, farm: 'lab', output, overrides: { template } });
    await until('the job to fail', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
    const failed = e.jobDetail(job.id);
    expect(failed.job.status).toBe('failed');
    expect(failed.frames.filter((f) => f.state !== 'done').map((f) => f.frame)).toEqual([5, 6]);
    rmSync(mark);
    e.retry(job.id);
    await until('the retry to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status) && e.jobDetail(job.id).job.framesDone === 6);
    const subs = e.store.farms.submissionsOf(job.id);
    expect(subs).toHaveLength(2);
    const failedTask = failed.tasks.find((t) => t.state === 'failed')!;
    expect(subs[1]!.taskIds).toEqual([failedTask.id]);
    expect(readFileSync(path.join(shared, '.spool-farm', subs[1]!.tag, 'submission.json'), 'utf8')).toContain('"frames":[5,6]');
    expect([...savedCountsOf(e, job.id).entries()].sort((a, b) => a[0] - b[0])).toEqual([3, 4, 5, 6, 7, 8].map((f) => [f, 1]));
    // Each hand-off lists the elements of its own array: the retry's one element is in the second.
    const handoffs = e.jobDetail(job.id).farm!.handoffs;
    expect(handoffs.map((h) => h.farmJobId)).toEqual(subs.map((sub) => sub.farmJobId));
    expect(handoffs.map((h) => h.elements)).toEqual([[0, 1, 2].map((i) => `${subs[0]!.farmJobId}_${i}`), [`${subs[1]!.farmJobId}_0`]]);
    // Each farm element and the retry's is its own attempt, with its farm id, in `spool show --json` and the report.
    const show = spawnSync(process.execPath, [CLI, '--data-dir', path.join(dir, 'data-fail'), 'show', String(job.id), '--json'], { encoding: 'utf8', env: { ...process.env, ...cluster.env }, timeout: 60_000 });
    const shown = JSON.parse(show.stdout) as { attempts: { task: number | null; farmId: string | null; reason: string | null }[] };
    const [first, second] = subs.map((sub) => sub.farmJobId!);
    expect(shown.attempts.map((a) => [a.task, a.farmId, a.reason === null])).toEqual([
      [0, `${first}_0`, true],
      [1, `${first}_1`, false],
      [2, `${first}_2`, true],
      [1, `${second}_0`, true],
    ]);
    const report = renderReport(e.store, 'json', { ids: [job.id] }).report.jobs[0]!;
    expect(report.attempts).toEqual({ total: 4, failed: 1 });
    expect(report.farm!.handoffs.flatMap((h) => h.elements)).toEqual(shown.attempts.map((a) => a.farmId));
  });

  it('cancel leaves no element running or pending', async () => {
    const e = await startEngine(path.join(dir, 'data-cancel'));
    const job = await e.submit({ scene, frames: '1-6', chunk: 2, slots: 1, retries: 0, farm: 'lab', output: path.join(shared, 'cancel', 'f_####') });
    await until('the first frame', () => e.jobDetail(job.id).job.framesDone >= 1);
    e.setIntent(job.id, 'canceled');
    await until('the job to settle', () => e.job(job.id).status === 'canceled' && e.jobDetail(job.id).tasks.every((t) => t.state !== 'running'));
    const array = e.store.farms.submissionsOf(job.id)[0]!.farmJobId!;
    await until('Slurm to let go of the array', () => !liveElements().some((line) => line.startsWith(`${array}_`)), 30_000);
    expect(e.jobDetail(job.id).job.framesDone).toBeLessThan(6);
  });

  it('while slurmctld is down the job waits for its farm with the reason, never failed; it finishes once the farm is back, nothing resubmitted', async () => {
    const e = await startEngine(path.join(dir, 'data-down'));
    const job = await e.submit({ scene, frames: '1-4', chunk: 2, slots: 1, retries: 0, farm: 'lab', output: path.join(shared, 'down', 'f_####') });
    await until('the first frame', () => e.jobDetail(job.id).job.framesDone >= 1);
    await cluster.stopController();
    try {
      await until('the job to wait for its farm', () => e.store.farms.waitingReason(job.id) !== null, 60_000);
      expect(e.job(job.id)).toMatchObject({ status: 'running', reason: expect.stringMatching(/^waiting for farm lab \(unreachable: .+\)$/) });
    } finally {
      await cluster.startController();
    }
    await until('the job to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status), 120_000);
    expect(e.job(job.id).status).toBe('succeeded');
    expect(e.store.farms.waitingReason(job.id)).toBeNull();
    expect(e.store.farms.submissionsOf(job.id)).toHaveLength(1);
    expect([...savedCountsOf(e, job.id).values()]).toEqual(Array(4).fill(1));
  });

  it('spool run SIGKILLed while the array runs: the next one re-attaches, one sbatch in all, every frame done once', async () => {
    const data = path.join(dir, 'data-kill');
    const bin = path.join(dir, 'bin');
    const calls = path.join(dir, 'sbatch-calls');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'sbatch'), `#!/bin/sh\necho "$*" >> ${quote(calls)}\nexec /usr/bin/sbatch "$@"\n`);
    chmodSync(path.join(bin, 'sbatch'), 0o755);
    const env = { ...process.env, ...cluster.env, PATH: `${bin}:${process.env.PATH}` };
    const cli = (args: string[]) => spawnSync(process.execPath, [CLI, '--data-dir', data, ...args], { encoding: 'utf8', env, timeout: 60_000 });
    expect(cli(['farm', 'add', 'slurm', 'lab', '--partition', cluster.partition, '--path-map', `${shared}=${farmView}`]).status).toBe(0);
    const submitted = cli(['submit', scene, '--frames', '1-6', '--chunk', '2', '--slots', '1', '--retries', '0', '--farm', 'lab', '--output', path.join(shared, 'kill', 'f_####'), '--json']);
    expect(submitted.stderr).toBe('');
    const jobId = (JSON.parse(submitted.stdout) as { id: number }).id;
    const first = spawn(process.execPath, [CLI, '--data-dir', data, 'run'], { env, stdio: 'ignore' });
    await until('the first frame on disk', () => existsSync(path.join(shared, 'kill', 'f_0001.png')));
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const second = spawnSync(process.execPath, [CLI, '--data-dir', data, 'run', '--until-idle'], { env, encoding: 'utf8', timeout: 120_000 });
    expect(second.status).toBe(0);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toHaveLength(1);
    const shown = JSON.parse(cli(['show', String(jobId), '--json']).stdout) as { status: string; frames: { status: string }[]; attempts: { farmId: string | null; outcome: string }[] };
    expect(shown.status).toBe('succeeded');
    expect(shown.frames.filter((f) => f.status === 'done')).toHaveLength(6);
    // The text view names the farm, its job id and elements, and the command that shows it there.
    const text = cli(['show', String(jobId)]).stdout;
    const array = shown.attempts[0]!.farmId!.replace(/_\d+$/, '');
    expect(text).toContain(`farm lab (slurm): job ${array} (${array}_0, ${array}_1, ${array}_2) — see it there: squeue -r -j ${array}`);
    // Some chunk's attempt ended on the farm after the restart (which one depends on how far the killed
    // engine got: it may have read all of chunk 1's frames before it died).
    expect(text).toMatch(new RegExp(`attempt \\d+ · chunk \\d \\(frames [\\d,]+\\) · farm ${array}_\\d: ok`));
    // The attempts the killed engine left were re-attached to the same elements, not handed off again.
    expect(new Set(shown.attempts.map((a) => a.farmId?.replace(/_\d+$/, '')))).toHaveProperty('size', 1);
    // Rendered once each: the farm's own logs of the one array say so.
    const logOf = (t: string, i: number): string => path.join(shared, '.spool-farm', t, `element-${i}.log`);
    const tags = readdirSync(path.join(shared, '.spool-farm')).filter((t) => existsSync(logOf(t, 0)) && readFileSync(logOf(t, 0), 'utf8').includes('/kill/f_'));
    expect(tags).toHaveLength(1);
    const tag = tags[0]!;
    const saved = [0, 1, 2].flatMap((i) => [...readFileSync(logOf(tag, i), 'utf8').matchAll(/Saved: '.*?kill\/f_(\d+)\.png'/g)].map((m) => Number(m[1])));
    expect(saved.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 120_000);

  it('spool farm test: the farm answers and each mapped folder is writable from the farm side, or says what is not', () => {
    const data = path.join(dir, 'data-check');
    const cli = (args: string[]) => spawnSync(process.execPath, [CLI, '--data-dir', data, ...args], { encoding: 'utf8', env: { ...process.env, ...cluster.env }, timeout: 60_000 });
    expect(cli(['farm', 'add', 'slurm', 'lab', '--partition', cluster.partition, '--path-map', `${shared}=${farmView}`]).status).toBe(0);
    const good = cli(['farm', 'test', 'lab']);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain(`ok: ${farmView} exists and is writable from the farm, and is ${shared} here`);
    expect(cli(['farm', 'add', 'slurm', 'broken', '--path-map', `${shared}=${path.join(dir, 'not on the farm')}`]).status).toBe(0);
    const bad = cli(['farm', 'test', 'broken']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`not ok: the farm could not write to ${path.join(dir, 'not on the farm')}`);
  });

  it('pause holds the elements still waiting on the farm and lets the running one finish; resume releases them, same array', async () => {
    const e = await startEngine(path.join(dir, 'data-pause'));
    const job = await e.submit({ scene, frames: '1-6', chunk: 2, slots: 1, retries: 0, farm: 'lab', output: path.join(shared, 'pause', 'f_####') });
    await until('the first frame', () => e.jobDetail(job.id).job.framesDone >= 1);
    e.pause(job.id);
    await until('the running element to finish', () => e.job(job.id).status === 'paused' && e.jobDetail(job.id).tasks.every((t) => t.state !== 'running'));
    const array = e.store.farms.submissionsOf(job.id)[0]!.farmJobId!;
    // The running chunk was let finish; the others wait on the farm, held.
    expect(e.jobDetail(job.id).job.framesDone).toBe(2);
    expect(liveElements().filter((line) => line.startsWith(array)).every((line) => / PENDING$/.test(line))).toBe(true);
    const held = spawnSync('squeue', ['-h', '-r', '-o', '%i %r'], { encoding: 'utf8', env: { ...process.env, ...cluster.env } }).stdout;
    expect(held).toMatch(new RegExp(`${array}_\\[?\\d.* JobHeld(User|Admin)`));
    e.setIntent(job.id, 'active');
    await until('the job to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
    expect(e.job(job.id).status).toBe('succeeded');
    expect(e.store.farms.submissionsOf(job.id)).toHaveLength(1);
    expect([...savedCountsOf(e, job.id).values()]).toEqual(Array(6).fill(1));
  }, 120_000);

  it('with the farm polled only every 2 minutes, log lines and each element\'s end are read as they land (a folder watch); no watch is left after the job ends or the engine stops', async () => {
    const before = watchHandles();
    const e = await startEngine(path.join(dir, 'data-watch'), { farmPollMs: 120_000 });
    const idle = watchHandles();
    const job = await e.submit({ scene, frames: '1-4', chunk: 2, slots: 2, retries: 0, farm: 'lab', output: path.join(shared, 'watch', 'f_####') });
    await until('the job to finish without a poll', () => ['succeeded', 'failed'].includes(e.job(job.id).status), 60_000);
    const detail = e.jobDetail(job.id);
    expect(detail.job.status).toBe('succeeded');
    expect(detail.job.framesDone).toBe(4);
    for (let f = 1; f <= 4; f++) expect(isCompleteImage(path.join(shared, 'watch', `f_${String(f).padStart(4, '0')}.png`))).toBe(true);
    const array = e.store.farms.submissionsOf(job.id)[0]!.farmJobId!;
    expect(detail.attempts.map((a) => e.store.farms.farmIdOf(a.id))).toEqual([`${array}_0`, `${array}_1`]);
    await until("the job's watch to close", () => watchHandles() === idle, 10_000);

    // A job still on the farm when the engine stops: its watch goes with the engine.
    const running = await e.submit({ scene, frames: '1-6', chunk: 2, slots: 1, retries: 0, farm: 'lab', output: path.join(shared, 'watch-stop', 'f_####') });
    await until('the hand-off to be watched', () => watchHandles() > idle, 30_000);
    const left = e.store.farms.submissionsOf(running.id)[0]!.farmJobId!;
    await e.stop();
    engine = null;
    await until("the engine's watches to close", () => watchHandles() === before, 10_000);
    spawnSync('scancel', [left], { env: { ...process.env, ...cluster.env } });
  }, 90_000);

  it('a hand-off folder that cannot be watched (ENOSPC: inotify limits) is polled instead: the job still finishes, frames verified', async () => {
    let tried = 0;
    const e = await startEngine(path.join(dir, 'data-nowatch'), {
      farmWatchFolder: () => {
        tried++;
        throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
      },
    });
    const job = await e.submit({ scene, frames: '1-4', chunk: 2, slots: 2, retries: 0, farm: 'lab', output: path.join(shared, 'nowatch', 'f_####') });
    await until('the job to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
    expect(tried).toBe(1);
    expect(e.jobDetail(job.id).job).toMatchObject({ status: 'succeeded', framesDone: 4 });
    for (let f = 1; f <= 4; f++) expect(isCompleteImage(path.join(shared, 'nowatch', `f_${String(f).padStart(4, '0')}.png`))).toBe(true);
    expect([...savedCountsOf(e, job.id).values()]).toEqual(Array(4).fill(1));
  });
});
