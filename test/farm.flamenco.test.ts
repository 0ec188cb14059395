import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src-main/engine/engine';
import { isCompleteImage } from '../src-main/engine/image-check';
import { renderReport } from '../src-main/engine/report';
import { startFakeManager, type FakeFlamencoManager } from './fakes/flamenco-manager';
import { BLENDER, makeBlenderScene } from './helpers/blender';
import { CLI, fakeTemplate, tempDir } from './helpers/fake-dcc';
import { waitFor } from './helpers/wait';

/**
 * Farm jobs handed to Flamenco, through the real engine and store, against the FAKE Manager
 * (test/fakes/flamenco-manager.ts: written from Flamenco 3.x's OpenAPI spec, since no real
 * Manager can run here). The fake renders nothing: the test plays the worker, writing real PNG
 * files under the job's output as the farm sees it and the `Saved:` lines Blender prints. The farm
 * sees the shared folder under another path (a symlink), so paths cross the mapping both ways.
 */

/** A complete 1×1 PNG (it ends with IEND, so Spool's on-disk check takes it). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let dir: string;
let shared: string;
let farmView: string;
let scene: string;
let fake: FakeFlamencoManager;
let engine: Engine | null = null;

beforeAll(async () => {
  dir = tempDir('spool-farm-flamenco-');
  shared = path.join(dir, 'shared');
  farmView = path.join(dir, 'farm view');
  mkdirSync(shared);
  symlinkSync(shared, farmView);
  // A real .blend, so the hand-off's format, fps and scene name come from Spool's own probe.
  scene = await makeBlenderScene(shared, { file: 'shot.blend', start: 1, end: 6, resolution: [16, 16], samples: 1 });
  fake = await startFakeManager();
}, 60_000);

afterEach(async () => {
  await engine?.stop();
  engine = null;
  expect(fake.violations).toEqual([]);
});

afterAll(async () => {
  await fake?.stop();
});

async function startEngine(name: string): Promise<Engine> {
  engine = await Engine.start({ dataDir: path.join(dir, name), detect: false, watchPollMs: 0, killGraceMs: 1000, farmPollMs: 50, retryBaseMs: 10 });
  engine.saveFarm({ kind: 'flamenco', name: 'studio', url: fake.url, pathMap: [{ local: shared, farm: farmView }] });
  return engine;
}

const jobsSubmitted = (): number => fake.count('POST', '/api/v3/jobs');

/** What a Flamenco worker does with a render task: runs Blender, which writes each frame and says so. */
function work(farmJobId: string, index: number, output: string): void {
  fake.advanceTask(farmJobId, index, 'active');
  for (const frame of framesOfTask(farmJobId, index)) renderOnFarm(farmJobId, index, output, frame);
  fake.advanceTask(farmJobId, index, 'completed');
}

function framesOfTask(farmJobId: string, index: number): number[] {
  const task = fake.job(farmJobId).tasks[index]!;
  const frames = task.name.replace('render-', '').split(/[,-]/).map(Number);
  return frames.length === 2 && task.name.includes('-') && !task.name.includes(',') ? range(frames[0]!, frames[1]!) : frames;
}

/** One frame as the worker's Blender renders it: the file on shared storage, then its lines (by default a tiny frame's). */
function renderOnFarm(farmJobId: string, index: number, output: string, frame: number, lines = (file: string) => [`Fra:${frame} Mem:8.00M (Peak 8.00M) | Time:00:00.01 | Rendering 1 / 1 samples`, `Saved: '${file}'`, ' Time: 00:00.02 (Saving: 00:00.00)']): void {
  const file = path.join(farmView, output, `f_${String(frame).padStart(4, '0')}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, PNG);
  fake.workerLog(farmJobId, index, lines(file));
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

describe.skipIf(!existsSync(BLENDER))('farm jobs handed to Flamenco (fake Manager written from the spec)', () => {
  it('submits one simple-blender-render job with the probed settings; frames the worker saves are verified on disk and the job succeeds', async () => {
    const e = await startEngine('data-main');
    const before = jobsSubmitted();
    const job = await e.submit({ scene, frames: '1-6', chunk: 2, slots: 3, retries: 0, farm: 'studio', output: path.join(shared, 'main', 'f_####') });
    await waitFor('the job on the Manager', () => jobsSubmitted() === before + 1 && e.jobDetail(job.id).attempts.length === 3);
    const farmJob = fake.job();
    expect(farmJob.body).toMatchObject({
      type: 'simple-blender-render',
      metadata: { 'spool.tag': e.store.farms.submissionsOf(job.id)[0]!.tag },
      settings: {
        blendfile: path.join(farmView, 'shot.blend'),
        render_output_path: path.join(farmView, 'main', 'f_####'),
        frames: '1-6',
        chunk_size: 2,
        format: 'PNG',
        image_file_extension: '.png',
        scene: 'Scene',
        fps: 24,
      },
    });
    expect(farmJob.tasks.map((t) => t.name)).toEqual(['render-1,2', 'render-3,4', 'render-5,6', 'preview-video']);
    for (const index of [0, 1, 2]) work(farmJob.id, index, 'main');
    await waitFor('the job to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
    const detail = e.jobDetail(job.id);
    expect(detail.job.status).toBe('succeeded');
    expect(detail.frames.map((f) => [f.frame, f.state])).toEqual(range(1, 6).map((f) => [f, 'done']));
    // Each frame's output as this machine sees it: the farm's path mapped back.
    expect(detail.frames.map((f) => f.output)).toEqual(range(1, 6).map((f) => path.join(shared, 'main', `f_000${f}.png`)));
    for (const f of range(1, 6)) expect(isCompleteImage(path.join(shared, 'main', `f_000${f}.png`))).toBe(true);
    // The attempts carry the farm's own task ids.
    expect(detail.attempts.map((a) => e.store.farms.farmIdOf(a.id)).sort()).toEqual(farmJob.tasks.slice(0, 3).map((t) => `${farmJob.id}/${t.id}`).sort());
    expect(jobsSubmitted()).toBe(before + 1);
  }, 30_000);

  it('a task failing on the farm fails its frames alone; retry hands off only those frames, as a new Flamenco job', async () => {
    const e = await startEngine('data-retry');
    const before = jobsSubmitted();
    const job = await e.submit({ scene, frames: '1-4', chunk: 2, slots: 2, retries: 0, farm: 'studio', output: path.join(shared, 'retry', 'f_####'), overrides: { format: 'PNG' } });
    await waitFor('the job on the Manager', () => jobsSubmitted() === before + 1 && e.jobDetail(job.id).attempts.length === 2);
    const first = fake.job();
    work(first.id, 0, 'retry');
    fake.advanceTask(first.id, 1, 'active');
    fake.workerLog(first.id, 1, ['Fra:3 Mem:8.00M (Peak 8.00M) | Time:00:00.01 | Rendering 1 / 1 samples']);
    fake.advanceTask(first.id, 1, 'failed', 'blender-render exited with code 139');
    await waitFor('the job to fail', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
    expect(e.job(job.id).status).toBe('failed');
    expect(e.jobDetail(job.id).frames.filter((f) => f.state !== 'done').map((f) => f.frame)).toEqual([3, 4]);
    e.retry(job.id);
    await waitFor('the retry on the Manager', () => jobsSubmitted() === before + 2);
    const second = fake.job();
    expect(second.id).not.toBe(first.id);
    expect(second.body).toMatchObject({ settings: { frames: '3,4', chunk_size: 2 } });
    work(second.id, 0, 'retry');
    await waitFor('the retry to finish', () => e.job(job.id).status === 'succeeded');
    expect(e.jobDetail(job.id).job.framesDone).toBe(4);
    expect(e.store.farms.submissionsOf(job.id)).toHaveLength(2);
  }, 30_000);

  it("a frame's render time is what Blender printed for it (recorded output), not when the Manager's log reached Spool", async () => {
    const e = await startEngine('data-times');
    const before = jobsSubmitted();
    const job = await e.submit({ scene, frames: '1-2', chunk: 2, retries: 0, farm: 'studio', output: path.join(shared, 'times', 'f_####'), overrides: { format: 'PNG' } });
    await waitFor('the job on the Manager', () => jobsSubmitted() === before + 1 && e.jobDetail(job.id).attempts.length === 1);
    const farmJob = fake.job();
    fake.advanceTask(farmJob.id, 0, 'active');
    // Recorded here: Blender 3.4.1, `-s 1 -e 2 -a` (64x36, 4 samples, CPU); status lines in between left out.
    // Frame 1's time includes loading the render kernels.
    const recorded: Record<number, (file: string) => string[]> = {
      1: (file) => ['Fra:1 Mem:8.89M (Peak 10.83M) | Time:00:00.03 | Mem:0.00M, Peak:0.00M | Scene, ViewLayer | Loading render kernels (may take a few minutes the first time)', 'Fra:1 Mem:10.02M (Peak 10.83M) | Time:00:00.35 | Mem:0.84M, Peak:0.84M | Scene, ViewLayer | Finished', `Saved: '${file}'`, ' Time: 00:01.19 (Saving: 00:00.83)', ''],
      2: (file) => ['Fra:2 Mem:9.29M (Peak 10.83M) | Time:00:00.01 | Mem:0.00M, Peak:0.00M | Scene, ViewLayer | Initializing', 'Fra:2 Mem:10.02M (Peak 10.83M) | Time:00:00.08 | Mem:0.84M, Peak:0.84M | Scene, ViewLayer | Finished', `Saved: '${file}'`, ' Time: 00:00.08 (Saving: 00:00.00)', ''],
    };
    renderOnFarm(farmJob.id, 0, 'times', 1, recorded[1]);
    await waitFor('frame 1 done', () => e.jobDetail(job.id).job.framesDone === 1);
    // The Manager's log of frame 2 comes a while later (a worker sends its log in chunks).
    await new Promise((resolve) => setTimeout(resolve, 300));
    renderOnFarm(farmJob.id, 0, 'times', 2, recorded[2]);
    fake.advanceTask(farmJob.id, 0, 'completed');
    await waitFor('the job to finish', () => e.job(job.id).status === 'succeeded');
    expect(e.jobDetail(job.id).frames.map((f) => [f.frame, f.renderMs])).toEqual([[1, 1190], [2, 80]]);
    expect(renderReport(e.store, 'json', { ids: [job.id] }).report.jobs[0]!.frames.map((f) => [f.frame, f.renderMs])).toEqual([[1, 1190], [2, 80]]);
  }, 30_000);

  it('pause asks the Manager for pause-requested with a reason: the running task finishes, the job shows paused; resume requeues it and the rest render, same Flamenco job', async () => {
    const e = await startEngine('data-pause');
    const before = jobsSubmitted();
    const job = await e.submit({ scene, frames: '1-6', chunk: 2, slots: 3, retries: 0, farm: 'studio', output: path.join(shared, 'pause', 'f_####'), overrides: { format: 'PNG' } });
    await waitFor('the job on the Manager', () => jobsSubmitted() === before + 1 && e.jobDetail(job.id).attempts.length === 3);
    const farmJob = fake.job();
    fake.advanceTask(farmJob.id, 0, 'active');
    renderOnFarm(farmJob.id, 0, 'pause', 1);
    await waitFor('frame 1 done', () => e.jobDetail(job.id).job.framesDone === 1);
    e.pause(job.id);
    await waitFor('the Manager to be asked', () => farmJob.status === 'pause-requested');
    const asked = fake.requests.filter((r) => r.path === `/api/v3/jobs/${farmJob.id}/setstatus`).map((r) => r.body);
    expect(asked).toEqual([{ status: 'pause-requested', reason: expect.stringMatching(/^Spool: .+/) }]);
    expect(farmJob.tasks.slice(0, 3).map((t) => t.status)).toEqual(['active', 'paused', 'paused']);
    // The running task is let finish; the tasks the Manager holds end here as paused.
    await waitFor('the held tasks to end', () => e.jobDetail(job.id).tasks.filter((t) => t.state === 'running').length === 1);
    expect(e.jobDetail(job.id).attempts.map((a) => a.outcome)).toEqual([null, 'paused', 'paused']);
    renderOnFarm(farmJob.id, 0, 'pause', 2);
    fake.advanceTask(farmJob.id, 0, 'completed');
    await waitFor('the job to pause', () => e.job(job.id).status === 'paused' && e.jobDetail(job.id).tasks.every((t) => t.state !== 'running'));
    expect(farmJob.status).toBe('paused');
    expect(e.jobDetail(job.id).job.framesDone).toBe(2);
    e.setIntent(job.id, 'active');
    await waitFor('the Manager to requeue the paused tasks', () => farmJob.tasks.slice(1, 3).every((t) => t.status === 'queued'));
    const resumed = fake.requests.filter((r) => r.path === `/api/v3/jobs/${farmJob.id}/setstatus`).map((r) => r.body);
    expect(resumed[1]).toEqual({ status: 'requeueing', reason: expect.stringMatching(/^Spool: .+/) });
    work(farmJob.id, 1, 'pause');
    work(farmJob.id, 2, 'pause');
    await waitFor('the job to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
    expect(e.job(job.id).status).toBe('succeeded');
    for (const f of range(1, 6)) expect(isCompleteImage(path.join(shared, 'pause', `f_000${f}.png`))).toBe(true);
    expect(jobsSubmitted()).toBe(before + 1);
    expect(e.store.farms.submissionsOf(job.id)).toHaveLength(1);
  }, 30_000);

  it('quitting Spool while a pause waits for a task still running on the Manager does not wait for the farm; the next engine picks the job up on resume', async () => {
    const data = 'data-pause-quit';
    let e = await startEngine(data);
    const before = jobsSubmitted();
    const job = await e.submit({ scene, frames: '1-4', chunk: 2, slots: 2, retries: 0, farm: 'studio', output: path.join(shared, 'pause-quit', 'f_####'), overrides: { format: 'PNG' } });
    await waitFor('the job on the Manager', () => jobsSubmitted() === before + 1 && e.jobDetail(job.id).attempts.length === 2);
    const farmJob = fake.job();
    fake.advanceTask(farmJob.id, 0, 'active');
    renderOnFarm(farmJob.id, 0, 'pause-quit', 1);
    await waitFor('frame 1 done', () => e.jobDetail(job.id).job.framesDone === 1);
    e.pause(job.id);
    await waitFor('the Manager to pause', () => farmJob.status === 'pause-requested');
    // Task 0 still runs on the farm and nobody finishes it: stopping must not wait for it.
    await e.stop();
    engine = null;
    renderOnFarm(farmJob.id, 0, 'pause-quit', 2);
    fake.advanceTask(farmJob.id, 0, 'completed');
    e = await startEngine(data);
    expect(e.job(job.id).status).toBe('paused');
    e.setIntent(job.id, 'active');
    await waitFor('the paused task requeued', () => farmJob.tasks[1]!.status === 'queued');
    work(farmJob.id, 1, 'pause-quit');
    await waitFor('the job to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
    expect(e.job(job.id).status).toBe('succeeded');
    for (const f of range(1, 4)) expect(isCompleteImage(path.join(shared, 'pause-quit', `f_000${f}.png`))).toBe(true);
    expect(jobsSubmitted()).toBe(before + 1);
  }, 30_000);

  it('the engine stopped while the Flamenco job runs: the next one finds it by its tag and re-attaches; one job on the Manager, every frame done once', async () => {
    const data = 'data-reattach';
    let e = await startEngine(data);
    const before = jobsSubmitted();
    const job = await e.submit({ scene, frames: '1-4', chunk: 2, slots: 2, retries: 0, farm: 'studio', output: path.join(shared, 'reattach', 'f_####'), overrides: { format: 'PNG' } });
    await waitFor('the job on the Manager', () => jobsSubmitted() === before + 1 && e.jobDetail(job.id).attempts.length === 2);
    const farmJob = fake.job();
    const tag = e.store.farms.submissionsOf(job.id)[0]!.tag;
    work(farmJob.id, 0, 'reattach');
    fake.advanceTask(farmJob.id, 1, 'active');
    renderOnFarm(farmJob.id, 1, 'reattach', 3);
    await waitFor('frames 1-3 done', () => e.jobDetail(job.id).job.framesDone === 3);
    await e.stop();
    engine = null;
    // While no Spool watches, the farm goes on: the worker finishes the task.
    renderOnFarm(farmJob.id, 1, 'reattach', 4);
    fake.advanceTask(farmJob.id, 1, 'completed');
    const lookups = fake.requests.length;
    e = await startEngine(data);
    await waitFor('the job to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
    expect(e.job(job.id).status).toBe('succeeded');
    expect(jobsSubmitted()).toBe(before + 1);
    expect(fake.jobs.filter((j) => (j.body.metadata as Record<string, string>)['spool.tag'] === tag)).toHaveLength(1);
    expect(fake.requests.slice(lookups).some((r) => r.method === 'POST' && r.path === '/api/v3/jobs')).toBe(false);
    const detail = e.jobDetail(job.id);
    expect(detail.frames.map((f) => [f.frame, f.state])).toEqual(range(1, 4).map((f) => [f, 'done']));
    for (const f of range(1, 4)) expect(isCompleteImage(path.join(shared, 'reattach', `f_000${f}.png`))).toBe(true);
    // Each frame was checkpointed once: by the attempt that read its Saved: line first, never again.
    const byAttempt = e.store.work.framesOf(job.id).map((f) => [f.frame, e.store.farms.farmIdOf(f.attemptId!)]);
    expect(byAttempt).toEqual([1, 2, 3, 4].map((f) => [f, `${farmJob.id}/${farmJob.tasks[f <= 2 ? 0 : 1]!.id}`]));
    expect(e.store.farms.submissionsOf(job.id)).toHaveLength(1);
  }, 30_000);

  it('cancel asks the Manager for cancel-requested; its tasks end canceled', async () => {
    const e = await startEngine('data-cancel');
    const before = jobsSubmitted();
    const job = await e.submit({ scene, frames: '1-4', chunk: 2, slots: 2, retries: 0, farm: 'studio', output: path.join(shared, 'cancel', 'f_####'), overrides: { format: 'PNG' } });
    await waitFor('the job on the Manager', () => jobsSubmitted() === before + 1 && e.jobDetail(job.id).attempts.length === 2);
    const farmJob = fake.job();
    fake.advanceTask(farmJob.id, 0, 'active');
    e.setIntent(job.id, 'canceled');
    await waitFor('the Manager to cancel', () => farmJob.status === 'canceled');
    await waitFor('the job to settle', () => e.job(job.id).status === 'canceled' && e.jobDetail(job.id).tasks.every((t) => t.state !== 'running'));
    const asked = fake.requests.filter((r) => r.path === `/api/v3/jobs/${farmJob.id}/setstatus`).map((r) => (r.body as { status: string }).status);
    expect(asked).toEqual(['cancel-requested']);
    expect(farmJob.tasks.slice(0, 2).map((t) => t.status)).toEqual(['canceled', 'canceled']);
  }, 30_000);

  it('with the Manager down the job waits for its farm with the reason, never failed; it is submitted once when the Manager is back, and finishes', async () => {
    const e = await startEngine('data-down');
    const before = jobsSubmitted();
    await fake.goDown();
    try {
      const job = await e.submit({ scene, frames: '1-4', chunk: 2, slots: 2, retries: 0, farm: 'studio', output: path.join(shared, 'down', 'f_####'), overrides: { format: 'PNG' } });
      await waitFor('the job to wait for its farm', () => e.store.farms.waitingReason(job.id) !== null);
      expect(e.job(job.id)).toMatchObject({ status: 'running', reason: expect.stringMatching(/^waiting for farm studio \(unreachable: .+\)$/) });
      await fake.comeBack();
      await waitFor('the job on the Manager', () => jobsSubmitted() === before + 1);
      await waitFor('the wait to end', () => e.store.farms.waitingReason(job.id) === null);
      const farmJob = fake.job();
      work(farmJob.id, 0, 'down');
      await waitFor('the first chunk', () => e.jobDetail(job.id).job.framesDone === 2);
      // Down again while a chunk is still to run: waiting again, nothing failed or resubmitted.
      await fake.goDown();
      await waitFor('the job to wait again', () => e.store.farms.waitingReason(job.id) !== null);
      expect(e.job(job.id).status).toBe('running');
      await fake.comeBack();
      work(farmJob.id, 1, 'down');
      await waitFor('the job to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
      expect(e.job(job.id).status).toBe('succeeded');
      expect(e.store.farms.waitingReason(job.id)).toBeNull();
      expect(e.store.farms.submissionsOf(job.id)).toHaveLength(1);
      expect(jobsSubmitted()).toBe(before + 1);
    } finally {
      await fake.comeBack().catch(() => undefined);
    }
  }, 30_000);

  it('refuses at submit what Flamenco could not render, naming the field', async () => {
    const e = await startEngine('data-refuse');
    const output = path.join(shared, 'refused', 'f_####.png');
    await expect(e.submit({ scene, frames: '1-2', farm: 'studio' })).rejects.toThrow(/^output: farm studio is a Flamenco farm: it needs an output path/);
    const other = path.join(shared, 'scene.txt');
    writeFileSync(other, 'x');
    await expect(e.submit({ scene: other, dcc: 'command', overrides: { template: fakeTemplate() }, frames: '1-2', farm: 'studio', output })).rejects.toThrow(
      /^farm: farm studio is a Flamenco farm: its simple-blender-render job type renders Blender scenes only, not command/,
    );
    await expect(e.submit({ scene, frames: '4,1-3', farm: 'studio', output, overrides: { format: 'PNG' } })).rejects.toThrow(/^frames: .*in ascending order, each once \(here 4 comes before 1\)/);
    await expect(e.submit({ scene, frames: '1-2', farm: 'studio', output, overrides: { format: 'PNG', samples: 8 } })).rejects.toThrow(/^overrides\.samples: .*samples cannot be overridden there/);
    expect(e.listJobs()).toHaveLength(0);
  });

  it('a refusal only the Manager can give (here: a Flamenco 4 it does not speak) fails the job with that reason, nothing hangs', async () => {
    const future = await startFakeManager({ version: '4.0' });
    try {
      const e = await startEngine('data-future');
      e.saveFarm({ kind: 'flamenco', name: 'future', url: future.url, pathMap: [{ local: shared, farm: farmView }] });
      const job = await e.submit({ scene, frames: '1-2', chunk: 2, retries: 0, farm: 'future', output: path.join(shared, 'future', 'f_####'), overrides: { format: 'PNG' } });
      await waitFor('the job to fail', () => e.job(job.id).status === 'failed');
      expect(e.jobDetail(job.id).tasks[0]!.reason).toMatch(/^farm future refused the job: Flamenco Manager 4\.0 \(fake\) at .* is not supported/);
      expect(future.count('POST', '/api/v3/jobs')).toBe(0);
    } finally {
      await future.stop();
    }
  }, 30_000);

  it('spool farm test asks the Manager; spool submit --farm refuses a non-Blender job with exit 2', async () => {
    const data = path.join(dir, 'data-cli');
    // Not spawnSync: the fake Manager answers from this process's event loop.
    const cli = async (args: string[]) => {
      const result = await execa(process.execPath, [CLI, '--data-dir', data, ...args], { reject: false, timeout: 60_000 });
      return { status: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    };
    expect((await cli(['farm', 'add', 'flamenco', 'studio', '--url', fake.url, '--path-map', `${shared}=${farmView}`])).status).toBe(0);
    const tested = await cli(['farm', 'test', 'studio']);
    expect(tested.stdout).toContain(`ok: Flamenco Manager 3.9 (fake) answers at ${fake.url}`);
    expect(tested.stdout).toContain(`ok: ${farmView} is writable from the Manager`);
    expect([tested.status, tested.stdout]).toEqual([0, expect.stringContaining('Farm studio is ready.')]);
    writeFileSync(path.join(shared, 'scene.txt'), 'x');
    const refused = await cli(['submit', path.join(shared, 'scene.txt'), '--dcc', 'command', '--template', fakeTemplate(), '--frames', '1-2', '--farm', 'studio', '--output', path.join(shared, 'cli', 'f_####.png')]);
    expect([refused.status, refused.stderr]).toEqual([2, expect.stringContaining('renders Blender scenes only, not command')]);
  }, 60_000);
});
