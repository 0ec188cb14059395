import Database from 'better-sqlite3';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBlenderScene } from '../helpers/blender';
import { quote, renderCounts, tempDir } from '../helpers/fake-dcc';
import { chaosSeed, integrityCheck, isLive, liveProcessesMentioning, pngProblem, privateFakeDcc, rng } from './support';
import { killHard, spool, startEngineProcess } from '../helpers/spool-cli';
import { sleep, waitFor } from '../helpers/wait';

/**
 * "Nothing lost": the engine is SIGKILLed at random moments (while starting, while recovering,
 * mid-frame, between chunks) and every next `spool run` must pick up where the dead one stopped.
 * The fake renderer appends a frame to its counter file only after the image is complete, so the
 * counter is an account of the work that is independent of the store's.
 */

interface ShownJob {
  status: string;
  frames: { frame: number; status: string; output: string | null }[];
  attempts: { id: number; pid: number | null; reason: string | null; endedAt: string | null }[];
}

async function show(data: string, id: number): Promise<ShownJob> {
  const r = await spool(data, ['show', String(id), '--json']);
  if (r.code !== 0) throw new Error(`spool show failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ShownJob;
}

const storeFile = (data: string): string => path.join(data, 'spool.db');

function doneFrames(data: string, id: number): Pick<ShownJob, 'frames'> {
  if (!existsSync(storeFile(data))) return { frames: [] };
  const db = new Database(storeFile(data), { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const rows = db.prepare("SELECT frame, output FROM frames WHERE job_id = ? AND state = 'done'").all(id) as { frame: number; output: string }[];
    return { frames: rows.map((r) => ({ frame: r.frame, status: 'done', output: r.output })) };
  } finally {
    db.close();
  }
}

describe('engine killed with SIGKILL while rendering', () => {
  it('fake renderer, 60 frames, 10 kills: every frame rendered exactly once, valid, nothing left running, store intact', async () => {
    const seed = chaosSeed();
    console.log(`crash suite seed ${seed} (replay with SPOOL_CHAOS_SEED=${seed})`);
    const random = rng(seed);
    const dir = tempDir('spool-chaos-');
    const data = path.join(dir, 'data');
    const fake = privateFakeDcc(dir);
    const counter = path.join(dir, 'rendered-frames');
    const msPerFrame = 60 + Math.floor(random() * 61);
    const template = `${quote(process.execPath)} ${quote(fake)} --start {start} --end {end} --out {output} --ms-per-frame ${msPerFrame} --counter ${quote(counter)}`;
    const out = path.join(dir, 'out', 'f_####.png');

    const submitted = await spool(data, ['submit', '--dcc', 'command', '--template', template, '--frames', '1-60', '--chunk', '15', '--output', out, '--json']);
    expect(submitted.stderr).not.toMatch(/spool:/);
    expect(submitted.code).toBe(0);
    const id = (JSON.parse(submitted.stdout) as { id: number }).id;

    const moments: string[] = [];
    let killedMidRender = 0;
    for (let kill = 1; kill <= 10; kill++) {
      const engine = startEngineProcess(data);
      // One kill in five lands before the engine says it runs: in start-up, the lock or recovery.
      const early = random() < 0.2;
      const delay = Math.round(early ? random() * 300 : random() * 450);
      if (!early) await waitFor('the engine to start', () => (/engine running/.test(engine.output()) || engine.child.exitCode !== null ? true : undefined), 20_000, 10);
      await sleep(delay);
      await killHard(engine);
      expect(engine.child.signalCode, engine.output()).toBe('SIGKILL');
      // Nothing runs after the kill that could finish the job, so this is its state at the kill.
      if ((await show(data, id)).status !== 'succeeded') killedMidRender++;
      moments.push(`${early ? 'start+' : 'running+'}${delay}ms`);

      // Between lives: no frame was finished twice, and every finished one is a whole image.
      const counts = renderCounts(counter);
      for (const [frame, n] of counts) expect(n, `frame ${frame} rendered ${n} times by kill ${kill}`).toBe(1);
      for (const frame of counts.keys()) expect(pngProblem(path.join(dir, 'out', `f_${String(frame).padStart(4, '0')}.png`))).toBeNull();
    }
    console.log(`crash suite: ms/frame ${msPerFrame}; kills at ${moments.join(', ')}; ${killedMidRender} of 10 with the job unfinished`);

    const last = await spool(data, ['run', '--until-idle'], { timeoutMs: 90_000 });
    expect(last.code, last.stdout + last.stderr).toBe(0);

    const job = await show(data, id);
    expect(job.status).toBe('succeeded');
    expect(job.frames.map((f) => f.frame)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(job.frames.filter((f) => f.status !== 'done')).toEqual([]);
    // Exactly once: nothing missing, nothing rendered again after it was done.
    const counts = renderCounts(counter);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    for (const frame of job.frames) expect(pngProblem(frame.output!), frame.output!).toBeNull();
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(job.frames.map((f) => path.basename(f.output!)).sort());

    expect(liveProcessesMentioning(fake)).toEqual([]);
    for (const attempt of job.attempts) {
      expect(attempt.endedAt).not.toBeNull();
      if (attempt.pid !== null) expect(isLive(attempt.pid), `attempt ${attempt.id} pid ${attempt.pid}`).toBe(false);
    }
    expect(killedMidRender).toBeGreaterThan(0);
    expect(job.attempts.some((a) => /interrupted/.test(a.reason ?? ''))).toBe(true);
    expect(integrityCheck(storeFile(data))).toBe('ok');
  }, 180_000);
});

describe('engine killed with SIGKILL while real Blender renders', () => {
  let dir: string;
  let scene: string;
  beforeAll(async () => {
    dir = tempDir('spool-chaos-blender-');
    // Slow enough (about half a second a frame on two cores) that a kill can land between frames.
    scene = await makeBlenderScene(dir, { file: 'chaos.blend', start: 1, end: 16, resolution: [128, 72], samples: 96 });
  }, 120_000);

  it('3 kills: frames done before a kill are never rendered again, the job succeeds, no Blender left', async () => {
    const seed = chaosSeed();
    console.log(`Blender crash suite seed ${seed} (replay with SPOOL_CHAOS_SEED=${seed})`);
    const random = rng(seed);
    const data = path.join(dir, 'data');
    const submitted = await spool(data, [
      'submit', scene, '--frames', '1-16', '--chunk', '8', '--format', 'PNG', '--output', path.join(dir, 'render', 'f_####'), '--json',
    ]);
    expect(submitted.code, submitted.stderr).toBe(0);
    const id = (JSON.parse(submitted.stdout) as { id: number }).id;

    // The first time each frame was seen done, and its file's mtime then: a re-render rewrites the file.
    const firstSeen = new Map<number, number>();
    const note = (job: Pick<ShownJob, 'frames'>): void => {
      for (const f of job.frames) if (f.status === 'done' && !firstSeen.has(f.frame)) firstSeen.set(f.frame, statSync(f.output!).mtimeMs);
    };
    const pids = new Set<number>();
    const moments: string[] = [];
    for (let kill = 1; kill <= 3; kill++) {
      const engine = startEngineProcess(data);
      const doneAtStart = firstSeen.size;
      // Kill once this life has checkpointed a new frame, plus a random part of a frame. The store is
      // read directly (read-only): a `spool show` per poll is too slow to catch Blender between frames.
      await waitFor(
        'a frame to be checkpointed',
        () => {
          note(doneFrames(data, id));
          return firstSeen.size > doneAtStart ? true : undefined;
        },
        90_000,
        25,
      );
      const delay = Math.round(random() * 800);
      await sleep(delay);
      await killHard(engine);
      const after = await show(data, id);
      note(after);
      for (const a of after.attempts) if (a.pid !== null) pids.add(a.pid);
      moments.push(`after ${firstSeen.size} frames +${delay}ms`);
    }
    console.log(`Blender crash suite: kills ${moments.join(', ')}`);
    expect(firstSeen.size).toBeLessThan(16);

    const last = await spool(data, ['run', '--until-idle'], { timeoutMs: 180_000 });
    expect(last.code, last.stdout + last.stderr).toBe(0);
    const job = await show(data, id);
    expect(job.status).toBe('succeeded');
    expect(job.frames.every((f) => f.status === 'done')).toBe(true);
    for (const f of job.frames) expect(pngProblem(f.output!), f.output!).toBeNull();
    for (const [frame, mtime] of firstSeen) {
      const output = job.frames.find((f) => f.frame === frame)!.output!;
      expect(statSync(output).mtimeMs, `frame ${frame} was rendered again`).toBe(mtime);
    }
    for (const a of job.attempts) if (a.pid !== null) pids.add(a.pid);
    for (const pid of pids) expect(isLive(pid), `Blender pid ${pid}`).toBe(false);
    expect(liveProcessesMentioning(scene)).toEqual([]);
    expect(job.attempts.filter((a) => /interrupted/.test(a.reason ?? '')).length).toBeGreaterThan(0);
    expect(integrityCheck(storeFile(data))).toBe('ok');
  }, 300_000);
});
