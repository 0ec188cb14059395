import { afterEach, beforeAll } from 'vitest';
import path from 'node:path';
import { Engine } from '../../src-main/engine/engine';
import { makeSlowScene, savedCounts, SLOW_TEST_SCENE } from './blender';
import { tempDir } from './fake-dcc';
import { waitFor } from './wait';

/**
 * The set-up of the real-Blender tests of stopping at a frame boundary (pause, shortening): one
 * slow scene for the file, an engine per test that is stopped after it.
 */
export interface SlowBlenderSuite {
  /** The file's folder and its slow scene, set once beforeAll has run (read them inside a test). */
  dir: string;
  scene: string;
  /** An engine in dir/data: no DCC detection or watch polling, a short kill grace. */
  startEngine(): Promise<Engine>;
}

export function slowBlenderSuite(prefix: string): SlowBlenderSuite {
  let engine: Engine | null = null;
  const suite: SlowBlenderSuite = {
    dir: '',
    scene: '',
    async startEngine() {
      engine = await Engine.start({ dataDir: path.join(suite.dir, 'data'), detect: false, watchPollMs: 0, killGraceMs: 1000 });
      return engine;
    },
  };
  beforeAll(async () => {
    suite.dir = tempDir(prefix);
    suite.scene = await makeSlowScene(suite.dir, SLOW_TEST_SCENE);
  }, 120_000);
  afterEach(async () => {
    await engine?.stop();
    engine = null;
  });
  return suite;
}

/** How many times each frame of a job was saved, across all its attempts, the stopped ones included. */
export function savedCountsOf(e: Engine, jobId: number): Map<number, number> {
  return savedCounts(e.jobDetail(jobId).attempts.map((a) => a.logPath));
}

/** Waits until the job has a saved frame: Blender is past its start-up, and a stop sent now lands inside a frame. */
export async function untilFirstFrame(e: Engine, jobId: number): Promise<void> {
  await waitFor('Blender to save a frame', () => e.jobDetail(jobId).job.framesDone >= 1, 60_000, 10);
}
