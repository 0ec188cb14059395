/**
 * store: frame state changes through the Store's own API — every one its own committed write, as
 * the engine makes them — against the same UPDATE run straight on better-sqlite3 with the same
 * pragmas (the floor SQLite itself sets), and the file size they leave behind.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src-main/engine/store/open-database';
import { Store } from '../src-main/engine/store';
import { limitRow, log, median, ratioRow, removeDir, tempDir, type Bench, type Row } from './lib';
import { noOpJobSpec } from './seed';

const FRAMES = 100_000;
/** Frames per task in the attempt cycle: 10,000 tasks, each started, its frames marked done, finished. */
const CHUNK = 10;

const spec = noOpJobSpec({ name: 'store-bench', framesText: `1-${FRAMES}`, chunkSize: CHUNK, output: null, priority: 0 });
const frames = Array.from({ length: FRAMES }, (_, i) => i + 1);

/** markFrameDone on one 100k-frame job: the per-frame checkpoint, alone. */
function markDone(dir: string): number {
  const store = Store.open(path.join(dir, 'done.db'));
  try {
    const job = store.jobs.insert(spec, frames, [frames]);
    const task = store.work.tasksOf(job.id)[0]!;
    const attempt = store.work.startAttempt(task.id, ['true'], { kind: 'cpu', threads: 1 }, (id) => `/tmp/${id}.log`);
    const started = performance.now();
    for (const frame of frames) store.work.markFrameDone(job.id, frame, `/renders/f_${frame}.png`, 1000, attempt.id);
    return performance.now() - started;
  } finally {
    store.close();
  }
}

/** The engine's whole per-task path: startAttempt, recordSpawn, each frame done, finishAttempt. */
function attemptCycle(dir: string): { ms: number; bytes: number } {
  const file = path.join(dir, 'cycle.db');
  const store = Store.open(file);
  try {
    const chunks: number[][] = [];
    for (let i = 0; i < FRAMES; i += CHUNK) chunks.push(frames.slice(i, i + CHUNK));
    const job = store.jobs.insert(spec, frames, chunks);
    const tasks = store.work.tasksOf(job.id);
    const started = performance.now();
    for (const task of tasks) {
      const attempt = store.work.startAttempt(task.id, ['true'], { kind: 'cpu', threads: 1 }, (id) => `/tmp/${id}.log`);
      store.work.recordSpawn(attempt.id, 4242, '123456');
      for (const frame of store.work.pendingFramesOf(task.id)) store.work.markFrameDone(job.id, frame, `/renders/f_${frame}.png`, 1000, attempt.id);
      store.work.finishAttempt(attempt.id, { exitCode: 0, signal: null, reason: null }, { kind: 'succeeded' });
    }
    const ms = performance.now() - started;
    const status = store.summaries.summarize(store.jobs.get(job.id)!).status;
    if (status !== 'succeeded') throw new Error(`the store bench job ended ${status}`);
    store.close();
    // Size at rest: what a user's disk keeps once the WAL is folded back in.
    return { ms, bytes: sizeOf(file) };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** The same UPDATE, prepared once, on a bare connection with the store's own pragmas. */
function rawUpdate(dir: string): number {
  const file = path.join(dir, 'raw.db');
  const seed = Store.open(file);
  const job = seed.jobs.insert(spec, frames, [frames]);
  seed.close();
  const db: Database.Database = openDatabase(file);
  try {
    const update = db.prepare(
      "UPDATE frames SET state = 'done', output = ?, render_ms = ?, reason = NULL, attempt_id = ? WHERE job_id = ? AND frame = ? AND state != 'done'",
    );
    const started = performance.now();
    for (const frame of frames) update.run(`/renders/f_${frame}.png`, 1000, 1, job.id, frame);
    return performance.now() - started;
  } finally {
    db.close();
  }
}

function sizeOf(file: string): number {
  let bytes = 0;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      bytes += statSync(f).size;
    } catch {
      // absent once SQLite folded the WAL back in on close
    }
  }
  return bytes;
}

export const store: Bench = async ({ rounds }) => {
  const spoolDone: number[] = [];
  const raw: number[] = [];
  const cycle: number[] = [];
  const sizes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const dir = tempDir('store');
    try {
      const order = round % 2 === 0 ? (['spool', 'raw'] as const) : (['raw', 'spool'] as const);
      for (const who of order) {
        if (who === 'spool') spoolDone.push((markDone(dir) * 1000) / FRAMES);
        else raw.push((rawUpdate(dir) * 1000) / FRAMES);
      }
      const result = attemptCycle(dir);
      cycle.push(result.ms);
      sizes.push(result.bytes / 2 ** 20);
      log(`  store round ${round + 1}: markFrameDone ${spoolDone.at(-1)!.toFixed(1)} µs, raw ${raw.at(-1)!.toFixed(1)} µs, ${FRAMES / CHUNK} task cycles ${(result.ms / 1000).toFixed(2)} s, file ${(result.bytes / 2 ** 20).toFixed(1)} MB`);
    } finally {
      removeDir(dir);
    }
  }
  const tasks = FRAMES / CHUNK;
  const rows: Row[] = [
    ratioRow({ bench: 'store', figure: `markFrameDone ×${FRAMES.toLocaleString('en-US')}, one job: time per change`, unit: 'µs', spool: spoolDone, peer: raw, peerName: 'raw SQLite UPDATE' }),
    limitRow({ bench: 'store', figure: 'markFrameDone: changes per second', unit: '/s', values: spoolDone.map((us) => 1e6 / us) }),
    limitRow({
      bench: 'store',
      figure: `${tasks.toLocaleString('en-US')} tasks × ${CHUNK} frames (start, spawn, frames done, finish): frames done per second`,
      unit: '/s',
      values: cycle.map((ms) => FRAMES / (ms / 1000)),
      note: `${(median(cycle) / tasks).toFixed(2)} ms per task`,
    }),
    limitRow({ bench: 'store', figure: `store file after ${FRAMES.toLocaleString('en-US')} frames, ${tasks.toLocaleString('en-US')} attempts`, unit: 'MB', values: sizes }),
  ];
  return rows;
};
