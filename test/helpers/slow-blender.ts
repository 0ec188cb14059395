import { existsSync, readFileSync } from 'node:fs';
import { makeBlenderScene, type BlenderSceneOptions } from './blender';

/**
 * Issue 16's slow.blend, for the benchmarks and the real-Blender tests of stopping at a frame
 * boundary (pause, shortening): frames long enough that a stop lands inside one.
 */

/** The scene: the factory cube at 320×180, Cycles at 256 samples, about 0.5 s a frame, frames 1-40. */
export const SLOW_SCENE: BlenderSceneOptions = { file: 'slow.blend', start: 1, end: 40, resolution: [320, 180], samples: 256 };

/** A test's cut of it: a few tenths of a second a frame, still long enough for a stop to land inside one. */
export const SLOW_TEST_SCENE: BlenderSceneOptions = { ...SLOW_SCENE, end: 8, resolution: [160, 90], samples: 48 };

export function makeSlowScene(dir: string, options: BlenderSceneOptions = SLOW_SCENE): Promise<string> {
  return makeBlenderScene(dir, options);
}

/**
 * How many times each frame was saved, by Blender's `Saved: '…0007.png'` lines in the given attempt
 * logs: a frame saved twice was rendered twice. A log that is gone counts as no lines.
 */
export function savedCounts(logPaths: Iterable<string>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const logPath of logPaths) {
    const text = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
    for (const m of text.matchAll(/Saved: '.*?(\d+)\.png'/g)) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  }
  return counts;
}
