import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeManager, type FakeFlamencoManager, type FakeManagerOptions } from '../../../../test/fakes/flamenco-manager';
import { InputError, NotFoundError } from '../../errors';
import { FarmUnreachable, type FarmJobRef, type FarmJobSpec } from '../backend';
import { FlamencoRefused, FlamencoUnsupported } from './errors';
import { FlamencoBackend, type FlamencoOptions } from './flamenco-backend';
import { SKIPPED_MARKER } from './log-tail';

/**
 * The Flamenco back-end against a FAKE Manager (test/fakes/flamenco-manager.ts), written from
 * Flamenco 3.x's OpenAPI spec because no real Manager can run here. Every test ends by checking
 * that no request broke the spec's rules (`violations`).
 */

let manager: FakeFlamencoManager | null = null;
const dirs: string[] = [];

afterEach(async () => {
  if (manager) {
    expect(manager.violations).toEqual([]);
    await manager.stop();
  }
  manager = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function setUp(fakeOptions: FakeManagerOptions = {}, options: Partial<FlamencoOptions> = {}): Promise<{ fake: FakeFlamencoManager; farm: FlamencoBackend }> {
  manager = await startFakeManager(fakeOptions);
  return { fake: manager, farm: new FlamencoBackend({ farm: 'studio', url: manager.url, ...options }) };
}

const frames = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

function spec(overrides: Partial<FarmJobSpec> = {}): FarmJobSpec {
  const all = frames(1, 12);
  return {
    tag: 'spool-7f3c-job-12',
    name: 'shot 010 «final»',
    dcc: 'blender',
    scene: '/farm/projects/shot 010/shot.blend',
    output: '/farm/renders/shot 010/frame_####',
    frames: all,
    chunks: [0, 1, 2].map((index) => ({ index, frames: all.slice(index * 4, index * 4 + 4), argv: ['blender', '-b'] })),
    slots: 2,
    fps: 24,
    format: 'PNG',
    imageExtension: '.png',
    sceneName: 'Scene',
    ...overrides,
  };
}

async function submitted(fakeOptions: FakeManagerOptions = {}): Promise<{ fake: FakeFlamencoManager; farm: FlamencoBackend; ref: FarmJobRef; id: string }> {
  const { fake, farm } = await setUp(fakeOptions);
  const ref = await farm.submit(spec());
  return { fake, farm, ref, id: ref.farmJobId };
}

describe('Flamenco back-end against the fake Manager (written from the spec)', () => {
  it('checks the version, then the job, then submits a simple-blender-render job carrying the tag', async () => {
    const { fake, ref } = await submitted();
    const calls = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([
      'GET /api/v3/version',
      'GET /api/v3/jobs',
      'GET /api/v3/jobs/type/simple-blender-render',
      'POST /api/v3/jobs/check',
      'POST /api/v3/jobs',
    ]);
    const body = fake.requests.at(-1)!.body as Record<string, unknown>;
    expect(fake.requests.at(-2)!.body).toEqual(body);
    expect(body).toMatchObject({
      name: 'shot 010 «final»',
      type: 'simple-blender-render',
      priority: 50,
      submitter_platform: 'manager',
      metadata: { 'spool.tag': 'spool-7f3c-job-12' },
      settings: {
        blendfile: '/farm/projects/shot 010/shot.blend',
        render_output_root: '/farm/renders/shot 010',
        add_path_components: 0,
        render_output_path: '/farm/renders/shot 010/frame_####',
        frames: '1-12',
        chunk_size: 4,
        fps: 24,
        format: 'PNG',
        image_file_extension: '.png',
        has_previews: false,
        scene: 'Scene',
      },
    });
    expect(typeof body.type_etag).toBe('string');
    expect(ref.farmJobId).toBe(fake.job().id);
    expect(fake.job().tasks.map((t) => t.name)).toEqual(['render-1-4', 'render-5-8', 'render-9-12', 'preview-video']);
  });

  it('maps tasks to chunks with their frames and states, leaving out the preview-video task', async () => {
    const { fake, farm, ref, id } = await submitted();
    expect((await farm.tasks(ref)).map((t) => [t.chunkIndex, t.state, t.frames])).toEqual([
      [0, 'queued', [1, 2, 3, 4]],
      [1, 'queued', [5, 6, 7, 8]],
      [2, 'queued', [9, 10, 11, 12]],
    ]);
    fake.advanceTask(id, 0, 'active');
    fake.advanceTask(id, 0, 'completed');
    fake.advanceTask(id, 1, 'active');
    fake.advanceTask(id, 2, 'active');
    fake.advanceTask(id, 2, 'soft-failed', 'blender-render exited with code 139');
    const tasks = await farm.tasks(ref);
    expect(tasks.map((t) => t.state)).toEqual(['done', 'running', 'queued']);
    expect(tasks[2]).toMatchObject({ farmId: `${id}/${fake.job(id).tasks[2]!.id}`, reason: 'blender-render exited with code 139', exitCode: null });
    expect(tasks[0]!.reason).toBeUndefined();
  });

  it.each([
    ['from the task\'s log file by byte range', true],
    ['through the 2048-byte logtail (a Manager without log files)', false],
  ])('reads the live log %s without repeating or losing a line across polls', async (_how, logFiles) => {
    const { fake, farm, ref, id } = await submitted({ logFiles });
    fake.advanceTask(id, 0, 'active');
    const expected: string[] = [];
    const seen: string[] = [];
    let cursor: string | null = null;
    const last = 6;
    for (let frame = 1; frame <= last; frame++) {
      // About 1.5 KB a poll: less than the tail, so every line can be seen once.
      const lines = Array.from({ length: 30 }, (_, k) => `Fra:${frame} Mem:12.3M | Rendering ${k + 1} / 30 samples`);
      lines.push(`Saved: '/farm/renders/shot 010/frame_000${frame}.png'`);
      fake.workerLog(id, 0, lines);
      expected.push(...lines);
      // Half a line: not shown until its newline arrives.
      if (frame < last) fake.rawLog(id, 0, 'pid=4242 > Time: 00:0');
      const poll = await farm.logSince(ref, 0, cursor);
      seen.push(...poll.lines);
      cursor = poll.cursor;
      if (frame < last) {
        fake.rawLog(id, 0, `1.${frame}0 (Saving: 00:00.01)\n`);
        expected.push(`Time: 00:01.${frame}0 (Saving: 00:00.01)`);
      }
    }
    expect(fake.job(id).tasks[0]!.log.length).toBeGreaterThan(3 * 2048);
    expect((await farm.logSince(ref, 0, cursor)).lines).toEqual([]);
    // The Manager's own status line first, then every worker line once, in order, without `pid=N > `.
    expect(seen[0]).toMatch(/ task changed status queued -> active$/);
    expect(seen.slice(1)).toEqual(expected);
  });

  it('with only the logtail, shows each line of a log that repeats itself as often as it was written', async () => {
    const { fake, farm, ref, id } = await submitted({ logFiles: false });
    let poll = await farm.logSince(ref, 2, null);
    expect(poll).toEqual({ lines: [], cursor: null });
    fake.workerLog(id, 2, ['Warning: unknown node', 'Warning: unknown node']);
    poll = await farm.logSince(ref, 2, poll.cursor);
    fake.workerLog(id, 2, ['Warning: unknown node']);
    const next = await farm.logSince(ref, 2, poll.cursor);
    expect([...poll.lines, ...next.lines]).toEqual(['Warning: unknown node', 'Warning: unknown node', 'Warning: unknown node']);
  });

  it('reads every line of a 12 KB chunk a worker sends at once (log_chunker.go flushes at 10 KiB)', async () => {
    const { fake, farm, ref, id } = await submitted();
    const first = await farm.logSince(ref, 1, null);
    expect(first).toEqual({ lines: [], cursor: 'b0' });
    const chunk = Array.from({ length: 240 }, (_, i) => `Fra:${1 + Math.floor(i / 60)} Mem:12.3M | Sample ${i % 60}/60`);
    chunk.push("Saved: '/farm/renders/shot 010/frame_0005.png'");
    fake.workerLog(id, 1, chunk);
    const second = await farm.logSince(ref, 1, first.cursor);
    expect(second.lines).toEqual(chunk);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: expect.stringMatching(/^\/job-files\/.+\/task-.+\.txt$/) });
    expect((await farm.logSince(ref, 1, second.cursor)).lines).toEqual([]);
  });

  it('with only the logtail, says so when more than 2048 bytes went by between two polls', async () => {
    const { fake, farm, ref, id } = await submitted({ logFiles: false });
    fake.workerLog(id, 1, ['first line']);
    const first = await farm.logSince(ref, 1, null);
    expect(first.lines).toEqual(['first line']);
    fake.workerLog(id, 1, Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(40)}`));
    const second = await farm.logSince(ref, 1, first.cursor);
    expect(second.lines[0]).toBe(SKIPPED_MARKER);
    expect(second.lines.at(-1)).toBe(`line 99 ${'x'.repeat(40)}`);
    expect(second.lines).not.toContain('first line');
  });

  it('cancels through setstatus with a reason, once', async () => {
    const { fake, farm, ref, id } = await submitted();
    fake.advanceTask(id, 0, 'active');
    await farm.cancel(ref, 'canceled in Spool by the user');
    expect(fake.requests.find((r) => r.path.endsWith('/setstatus'))!.body).toEqual({ status: 'cancel-requested', reason: 'Spool: canceled in Spool by the user' });
    expect(fake.job(id).status).toBe('canceled');
    expect((await farm.tasks(ref)).map((t) => t.state)).toEqual(['canceled', 'canceled', 'canceled']);
    await farm.cancel(ref, 'again');
    expect(fake.count('POST', `/api/v3/jobs/${id}/setstatus`)).toBe(1);
  });

  it('requeues failed and canceled tasks and keeps completed ones', async () => {
    const { fake, farm, ref, id } = await submitted();
    fake.advanceTask(id, 0, 'active');
    fake.advanceTask(id, 0, 'completed');
    fake.advanceTask(id, 1, 'active');
    fake.advanceTask(id, 1, 'failed', 'blender-render exited with code 1');
    expect(fake.job(id).status).toBe('failed');
    const failed = await farm.tasks(ref);
    expect(failed.map((t) => t.state)).toEqual(['done', 'failed', 'canceled']);
    expect(failed[1]!.reason).toBe('blender-render exited with code 1');
    await farm.requeue(ref, 'retry failed frames');
    expect((await farm.tasks(ref)).map((t) => t.state)).toEqual(['done', 'queued', 'queued']);
    expect(fake.job(id).status).toBe('queued');
  });

  it('requeues the failed tasks of a job that is still running one by one', async () => {
    const { fake, farm } = await setUp();
    const all = frames(1, 12);
    const ref = await farm.submit(spec({ chunks: all.map((f, index) => ({ index, frames: [f], argv: [] })) }));
    const id = ref.farmJobId;
    fake.advanceTask(id, 0, 'active');
    fake.advanceTask(id, 0, 'failed', 'out of memory');
    fake.advanceTask(id, 1, 'active');
    expect(fake.job(id).status).toBe('active'); // 1 of 13 tasks failed: under Flamenco's 10 %
    await farm.requeue(ref, 'retry failed frames');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: `/api/v3/tasks/${fake.job(id).tasks[0]!.id}/setstatus`, body: { status: 'queued', reason: 'Spool: retry failed frames' } });
    expect((await farm.tasks(ref)).slice(0, 3).map((t) => t.state)).toEqual(['queued', 'running', 'queued']);
    expect(fake.count('POST', `/api/v3/jobs/${id}/setstatus`)).toBe(0);
  });

  it('pauses: queued tasks are held, the running one finishes; resuming waits until the job is paused', async () => {
    const { fake, farm, ref, id } = await submitted();
    fake.advanceTask(id, 0, 'active');
    await farm.hold(ref, 'paused in Spool');
    expect(fake.job(id).status).toBe('pause-requested');
    expect((await farm.tasks(ref)).map((t) => t.state)).toEqual(['running', 'held', 'held']);
    await expect(farm.release(ref, 'resumed in Spool')).rejects.toThrow(/^Flamenco refused: job .+ cannot go from pause-requested to requeueing: its running tasks are still finishing; it can be resumed once it is paused \(.+\)$/);
    fake.advanceTask(id, 0, 'completed');
    expect(fake.job(id).status).toBe('paused');
    await farm.hold(ref, 'paused again');
    expect(fake.count('POST', `/api/v3/jobs/${id}/setstatus`)).toBe(2);
    await farm.release(ref, 'resumed in Spool');
    expect((await farm.tasks(ref)).map((t) => t.state)).toEqual(['done', 'queued', 'queued']);
    await farm.release(ref, 'resumed twice');
    expect(fake.count('POST', `/api/v3/jobs/${id}/setstatus`)).toBe(3);
  });

  it('fetches the job type again on a 412 (stale etag) and retries once', async () => {
    const { fake, farm } = await setUp();
    await farm.submit(spec());
    fake.changeJobType();
    const second = await farm.submit(spec({ tag: 'spool-7f3c-job-13' }));
    expect(second.farmJobId).toBe(fake.job().id);
    const calls = fake.requests.slice(5).map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([
      'GET /api/v3/jobs',
      'POST /api/v3/jobs/check', // 412: the cached etag is stale
      'GET /api/v3/jobs/type/simple-blender-render',
      'POST /api/v3/jobs/check',
      'POST /api/v3/jobs',
    ]);
    expect(fake.jobs).toHaveLength(2);
  });

  it('turns a refused status change (422) into a clear message', async () => {
    const { fake, farm, ref, id } = await submitted();
    for (const i of [0, 1, 2, 3]) {
      fake.advanceTask(id, i, 'active');
      fake.advanceTask(id, i, 'completed');
    }
    expect(fake.job(id).status).toBe('completed');
    const error = await farm.hold(ref, 'paused in Spool').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlamencoRefused);
    expect((error as Error).message).toMatch(new RegExp(`^Flamenco refused: job ${id} cannot go from completed to pause-requested: it has finished \\(.+\\)$`));
  });

  it('a Manager that is down or hangs is FarmUnreachable, and nothing is submitted again when it is back', async () => {
    const { fake, farm, ref } = await submitted();
    await fake.goDown();
    const down = await farm.tasks(ref).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(FarmUnreachable);
    expect((down as Error).message).toMatch(/^farm studio is unreachable: GET \/api\/v3\/jobs\/.+\/tasks at http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    await expect(farm.submit(spec())).rejects.toBeInstanceOf(FarmUnreachable);
    await fake.comeBack();
    expect(await farm.tasks(ref)).toHaveLength(3);
    expect(await farm.submit(spec())).toEqual(ref);
    expect(fake.count('POST', '/api/v3/jobs')).toBe(1);

    const impatient = new FlamencoBackend({ farm: 'studio', url: fake.url, timeoutMs: 200 });
    fake.stalled = true;
    await expect(impatient.findByTag('x')).rejects.toThrow(/^farm studio is unreachable: GET \/api\/v3\/version at .*: no answer in time$/);
    fake.stalled = false;
  });

  it('re-attaches by tag after a restart instead of submitting twice', async () => {
    const { fake, ref } = await submitted();
    const restarted = new FlamencoBackend({ farm: 'studio', url: fake.url });
    expect(await restarted.findByTag(spec().tag)).toEqual(ref);
    expect(await restarted.findByTag('spool-some-other-job')).toBeNull();
    expect(await restarted.submit(spec())).toEqual(ref);
    expect(fake.count('POST', '/api/v3/jobs')).toBe(1);
    expect(fake.count('POST', '/api/v3/jobs/check')).toBe(1);
  });

  it('finds jobs through POST /jobs/query on a Manager older than 3.6', async () => {
    const { fake, farm, ref } = await submitted({ version: '3.5' });
    expect(fake.requests[1]).toMatchObject({ method: 'POST', path: '/api/v3/jobs/query', body: { metadata: { 'spool.tag': spec().tag } } });
    expect(await farm.findByTag(spec().tag)).toEqual(ref);
    expect(fake.count('GET', '/api/v3/jobs')).toBe(0);
  });

  it('refuses a Manager that is not Flamenco 3.x before sending anything else', async () => {
    const { fake, farm } = await setUp({ version: '4.0' });
    await expect(farm.submit(spec())).rejects.toThrow(FlamencoUnsupported);
    await expect(farm.submit(spec())).rejects.toThrow(/^Flamenco Manager 4\.0 \(fake\) at http:\/\/127\.0\.0\.1:\d+ is not supported: Spool works with Flamenco 3\.x Managers only$/);
    expect(fake.requests.every((r) => r.path === '/api/v3/version')).toBe(true);
  });

  it('refuses before the Manager is called what Flamenco cannot render as Spool asked', async () => {
    const { fake, farm } = await setUp();
    const refusals: Array<[Partial<FarmJobSpec>, RegExp]> = [
      [{ dcc: 'maya' }, /^farm: Flamenco's simple-blender-render job type renders Blender scenes only, not maya$/],
      [{ output: null }, /^output: Flamenco needs an output path/],
      [{ format: 'FFMPEG' }, /^format: .*renders images only, not FFMPEG$/],
      [{ sceneName: undefined }, /^farm: this Flamenco Manager's simple-blender-render requires scene, which Spool cannot fill in$/],
      [{ frames: [-1, 0, 1], chunks: [{ index: 0, frames: [-1, 0, 1], argv: [] }] }, /^frames: Flamenco cannot render negative frames \(-1\)/],
      [{ frames: [3, 2, 1], chunks: [{ index: 0, frames: [3, 2], argv: [] }, { index: 1, frames: [1], argv: [] }] }, /^chunks: Flamenco renders frames in ascending order in chunks of 2 \(1,2 \| 3\); this job's chunks are 2,3 \| 1$/],
    ];
    for (const [overrides, message] of refusals) {
      const error = await farm.submit(spec(overrides)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
    }
    expect(fake.count('POST', '/api/v3/jobs/check')).toBe(0);
    expect(fake.jobs).toHaveLength(0);
  });

  it('names a job the Manager no longer has', async () => {
    const { farm } = await setUp();
    const gone = { farmJobId: '00000000-0000-4000-8000-000000000000', tag: 't' };
    await expect(farm.tasks(gone)).rejects.toThrow(NotFoundError);
    await expect(farm.cancel(gone, 'x')).rejects.toThrow(/^Flamenco has no job 00000000-0000-4000-8000-000000000000 any more/);
  });

  it('farm test: version, job type, workers, and each mapped path from the Manager side', async () => {
    const { fake } = await setUp();
    const shared = mkdtempSync(join(tmpdir(), 'spool-flamenco-shared-'));
    dirs.push(shared);
    const farm = new FlamencoBackend({ farm: 'studio', url: fake.url, farmPaths: [shared, join(shared, 'missing')] });
    const check = await farm.check();
    expect(check.ok).toBe(false);
    expect(check.version).toBe('3.9 (fake)');
    expect(check.findings[0]).toMatch(/^ok: Flamenco Manager 3\.9 \(fake\) answers at http/);
    expect(check.findings).toContain('ok: it has the simple-blender-render job type');
    expect(check.findings).toContain(`ok: ${shared} is writable from the Manager`);
    expect(check.findings.find((f) => f.startsWith(`problem: ${join(shared, 'missing')} is not usable from the Manager`))).toBeTruthy();
    expect(check.findings.at(-1)).toMatch(/^not checked: whether the workers can read the scene/);
    await fake.goDown();
    const down = await new FlamencoBackend({ farm: 'studio', url: fake.url }).check();
    expect(down).toEqual({ ok: false, findings: [expect.stringMatching(/^farm studio is unreachable: GET \/api\/v3\/version at .*: connect ECONNREFUSED [0-9.:]+$/)] });
  });

  it('links to the job in Flamenco\'s web app and reads the job\'s own status', async () => {
    const { farm, fake, ref, id } = await submitted();
    expect(farm.seeInFarm(ref)).toBe(`${fake.url}/app/jobs/${ref.farmJobId}`);
    fake.advanceTask(id, 0, 'active');
    expect(await farm.jobState(ref)).toEqual({ status: 'active', activity: 'Changed to status "active": task became active' });
  });

  it('sends a proxy token only in the Authorization header, never in a message', async () => {
    const { fake } = await setUp();
    const token = 'tok-3f9a-secret';
    const farm = new FlamencoBackend({ farm: 'studio', url: fake.url, token });
    await farm.submit(spec());
    expect(fake.requests.every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    await fake.goDown();
    const error = (await farm.tasks({ farmJobId: fake.job().id, tag: 't' }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(FarmUnreachable);
    expect(`${error.message} ${error.stack}`).not.toContain(token);
    expect(JSON.stringify(farm)).not.toContain(token);
    expect(inspect(farm, { depth: 10, showHidden: true })).not.toContain(token);
  });

  it('names a server that is not a Flamenco Manager', async () => {
    const { fake } = await setUp();
    const farm = new FlamencoBackend({ farm: 'studio', url: `${fake.url}/not-flamenco` });
    await expect(farm.findByTag('x')).rejects.toThrow(/^http:\/\/127\.0\.0\.1:\d+\/not-flamenco does not answer like a Flamenco Manager: GET \/api\/v3\/version: Flamenco answered 404/);
    fake.violations.length = 0; // that unknown path was the point
  });
});
