import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

/** The Blender the tests render with; Debian's 3.4.1 unless told otherwise. */
export const BLENDER = process.env.SPOOL_TEST_BLENDER ?? '/usr/bin/blender';

export interface BlenderSceneOptions {
  /** File name inside `dir`; may contain spaces, quotes, `$(...)` and non-ASCII letters. */
  file?: string;
  start?: number;
  end?: number;
  resolution?: [number, number];
  samples?: number;
  /** Cycles denoising: Debian's build has no OpenImageDenoise, so this makes a scene that fails. */
  denoise?: boolean;
  engine?: 'CYCLES' | 'BLENDER_EEVEE';
}

/**
 * Builds on the factory scene (its cube, camera and light) so one Blender start does everything;
 * tiny and few-sampled so a frame renders in well under a second on two cores. The arguments go
 * in as one JSON argv item, so odd file names reach Python untouched.
 */
const MAKE_SCENE = `import bpy, json, sys
a = json.loads(sys.argv[sys.argv.index('--') + 1])
s = bpy.context.scene
s.render.engine = a['engine']
s.frame_start = a['start']
s.frame_end = a['end']
s.frame_current = a['start']
s.render.resolution_x, s.render.resolution_y = a['resolution']
s.render.resolution_percentage = 100
s.cycles.device = 'CPU'
s.cycles.samples = a['samples']
s.cycles.use_denoising = a['denoise']
s.cycles.max_bounces = 2
s.eevee.taa_render_samples = a['samples']
s.render.image_settings.file_format = 'PNG'
s.render.filepath = '//render/frame_####'
cube = bpy.data.objects['Cube']
cube.rotation_euler = (0.0, 0.0, 0.0)
cube.keyframe_insert('rotation_euler', frame=a['start'])
cube.rotation_euler = (0.3, 0.0, 3.14159)
cube.keyframe_insert('rotation_euler', frame=max(a['end'], a['start'] + 1))
bpy.ops.wm.save_as_mainfile(filepath=a['path'], compress=False)
`;

/** Makes a small animated .blend in `dir` (created if needed) and returns its absolute path. */
export async function makeBlenderScene(dir: string, opts: BlenderSceneOptions = {}): Promise<string> {
  const folder = path.resolve(dir);
  await mkdir(folder, { recursive: true });
  const scene = path.join(folder, opts.file ?? 'scene.blend');
  const script = path.join(folder, 'make_scene.py');
  // Renamed into place so that two scenes made at once in one folder never read half a script.
  const tmp = `${script}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, MAKE_SCENE);
  await rename(tmp, script);
  const args = {
    path: scene,
    start: opts.start ?? 1,
    end: opts.end ?? 10,
    resolution: opts.resolution ?? [32, 18],
    samples: opts.samples ?? 4,
    denoise: opts.denoise ?? false,
    engine: opts.engine ?? 'CYCLES',
  };
  const result = await execa(
    BLENDER,
    ['-b', '--factory-startup', '--python-exit-code', '1', '--python', script, '--', JSON.stringify(args)],
    { reject: false, stdin: 'ignore', all: true, timeout: 60_000, cwd: folder },
  );
  if (result.exitCode !== 0) {
    throw new Error(`makeBlenderScene: Blender failed (${result.shortMessage ?? `exit ${String(result.exitCode)}`}):\n${result.all ?? ''}`);
  }
  return scene;
}

/**
 * Issue 16's slow.blend, for the benchmarks and the tests of stopping at a frame boundary: the
 * factory cube at 320×180, Cycles at 256 samples, about 0.5 s a frame, frames 1-40.
 */
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
