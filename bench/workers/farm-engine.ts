/**
 * The Spool side of the farm benchmark, in a process of its own (as `spool run` or the app would
 * be): an engine already running with a Slurm profile, one job of FRAMES frames handed to the farm
 * in CHUNK-frame chunks, timed from submit (and from the job queued) to the job's end, with the
 * moment each frame turned done (the engine's `frame` event, what every face shows). Prints one JSON line.
 *
 *   node farm-engine.mjs DATA_DIR SCENE OUT FRAMES CHUNK PROFILE_JSON
 */
import { Engine } from '../../src-main/engine/engine';

const [dataDir, scene, output, frames, chunk, profile] = process.argv.slice(2);
if (!dataDir || !scene || !output || !frames || !chunk || !profile) throw new Error('usage: farm-engine DATA_DIR SCENE OUT FRAMES CHUNK PROFILE_JSON');

const engine = await Engine.start({ dataDir, detect: false, watchPollMs: 0 });
const farm = engine.saveFarm(JSON.parse(profile));
const doneAt: Record<number, number> = {};
engine.on('frame', (event) => {
  if (event.state === 'done' && !(event.frame in doneAt)) doneAt[event.frame] = Date.now();
});

const started = performance.now();
const job = await engine.submit({ scene, frames: `1-${frames}`, chunk: Number(chunk), slots: Math.ceil(Number(frames) / Number(chunk)), retries: 0, farm: farm.name, output });
// Submitting checks the scene first (a Blender probe, cold in a fresh data dir); the hand-off starts once it is queued.
const queued = performance.now();
await engine.untilIdle();
const ended = performance.now();
const wallMs = ended - started;
const handoffMs = ended - queued;
const detail = engine.jobDetail(job.id);
const tag = engine.store.farms.submissionsOf(job.id)[0]?.tag ?? null;
await engine.stop();

process.stdout.write(`${JSON.stringify({ status: detail.job.status, reason: detail.job.reason, framesDone: detail.job.framesDone, wallMs, handoffMs, doneAt, tag })}\n`);
