import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareJobs, submitJob } from './commands';
import { InputError } from './errors';
import { MAX_FRAMES } from './frames';
import { prepareJob } from './prepare-job';
import { Store } from './store';

const dir = mkdtempSync(path.join(tmpdir(), 'spool-prepare-'));
const scene = path.join(dir, 'shot.blend');
writeFileSync(scene, '');
let store: Store | null = null;
afterAll(() => store?.close());

async function refusal(input: unknown): Promise<InputError> {
  const error: unknown = await prepareJob(input, { cwd: dir, dryRun: true }).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof InputError)) throw new Error(`expected an InputError, got ${String(error)}`);
  return error;
}

describe('prepareJob at the frame cap', () => {
  // Math.min(...frames) overflowed the stack from about 125,000 frames.
  it(`prepares ${MAX_FRAMES.toLocaleString('en')} frames, and 130,000 interleaved`, async () => {
    const job = await prepareJob({ dcc: 'command', overrides: { template: 'true' }, frames: `1-${MAX_FRAMES}` }, { cwd: dir, dryRun: true });
    expect(job.frames.length).toBe(MAX_FRAMES);
    const interleaved = await prepareJob({ dcc: 'command', overrides: { template: 'true' }, frames: '1-130000:100' }, { cwd: dir, dryRun: true });
    expect(interleaved.frames.slice(0, 2)).toEqual([1, 101]);
  });

  it('still checks the lowest frame of a big set against the DCC\'s first frame', async () => {
    const error = await refusal({ scene, frames: `-1-${MAX_FRAMES - 2}` });
    expect(error.message).toBe('frames: Blender cannot render frame -1: its frames start at 0');
  });

  it(`the engine's submit plans ${MAX_FRAMES.toLocaleString('en')} frames and queues the 130,000 that crashed it`, async () => {
    store = Store.open(path.join(dir, 'spool.db'));
    // Planning is where the cap's frames are checked; inserting a million rows only costs time here.
    const { items } = await prepareJobs(store, [{ dcc: 'command', overrides: { template: 'true' }, frames: `1-${MAX_FRAMES}`, chunk: 1000 }], { cwd: dir });
    expect(items[0]!.frames.length).toBe(MAX_FRAMES);
    const job = await submitJob(store, { dcc: 'command', overrides: { template: 'true' }, frames: '1-130000', chunk: 1000 }, { cwd: dir });
    const frames = store.work.framesOf(job.id);
    expect(frames.length).toBe(130_000);
    expect(frames.at(-1)!.frame).toBe(130_000);
  });
});

describe('prepareJob and Blender\'s last frame', () => {
  // Blender clamps frames above MAXFRAME, writes the clamped frame, and the job then fails oddly.
  it('refuses frames above 1,048,574 at submit, naming the first one too high', async () => {
    const error = await refusal({ scene, frames: '1048570-1048580' });
    expect(error.field).toBe('frames');
    expect(error.message).toBe('frames: Blender cannot render frame 1048580: its frames end at 1048574');
  });

  it('accepts frames up to 1,048,574', async () => {
    const job = await prepareJob({ scene, frames: '1048570..1048574' }, { cwd: dir, dryRun: true });
    expect(job.frames).toEqual([1048570, 1048571, 1048572, 1048573, 1048574]);
  });
});
