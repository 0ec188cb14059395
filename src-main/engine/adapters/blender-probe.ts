import path from 'node:path';
import { InputError } from '../errors';
import { requireSceneFile } from '../probe/scene-file';
import type { SceneInfo, WarmProbeSpec } from './adapter';

/*
 * Reading a .blend's defaults. Two ways with one Python body: a cold run (one Blender per scene,
 * ~1.5 s of start-up on this machine for a 6 ms read) and a warm prober (one Blender kept running
 * that loads scene after scene from requests on stdin). Both run with factory settings and no
 * auto-run: reading a scene must not run the user's add-ons or the file's scripts.
 */

/** Prefix of the lines the probe prints, so add-on chatter cannot be mistaken for them. */
const PROBE_PREFIX = 'SPOOL_PROBE ';
export const PROBE_TIMEOUT_MS = 30_000;

const PYTHON_COMMON = `import bpy, json, sys
def info():
    s = bpy.context.scene
    r = s.render
    return {
        'frame_start': s.frame_start, 'frame_end': s.frame_end, 'frame_step': s.frame_step,
        'output': bpy.path.abspath(r.filepath), 'format': r.image_settings.file_format,
        'resolution_x': r.resolution_x, 'resolution_y': r.resolution_y, 'resolution_percentage': r.resolution_percentage,
        'cameras': [o.name for o in s.objects if o.type == 'CAMERA'],
        'active_camera': s.camera.name if s.camera else None,
        'view_layers': [v.name for v in s.view_layers],
        'engine': r.engine, 'version': bpy.app.version_string,
        'scene': s.name, 'fps': r.fps / r.fps_base,
    }
def say(obj):
    sys.stdout.write(${JSON.stringify(PROBE_PREFIX)} + json.dumps(obj) + '\\n')
    sys.stdout.flush()
`;

const COLD_SCRIPT = `${PYTHON_COMMON}say({'info': info()})
`;

/**
 * One JSON request a line ({id, scene}), read as bytes so any path survives; one answer a line.
 * open_mainfile with use_scripts=False keeps the file's own scripts off, as --disable-autoexec does
 * for the cold run. EOF on stdin (Spool gone) ends the loop and Blender with it.
 */
const WARM_SCRIPT = `${PYTHON_COMMON}say({'ready': True})
while True:
    line = sys.stdin.buffer.readline()
    if not line:
        break
    req = json.loads(line.decode('utf-8'))
    try:
        bpy.ops.wm.open_mainfile(filepath=req['scene'], load_ui=False, use_scripts=False)
        say({'id': req['id'], 'info': info()})
    except Exception as e:
        say({'id': req['id'], 'error': str(e).strip()})
`;

interface ProbeJson {
  frame_start: number;
  frame_end: number;
  frame_step: number;
  output: string;
  format: string;
  resolution_x: number;
  resolution_y: number;
  resolution_percentage: number;
  cameras: string[];
  active_camera: string | null;
  view_layers: string[];
  engine: string;
  version: string;
  scene?: string;
  fps?: number;
}

function toSceneInfo(info: ProbeJson): SceneInfo {
  return {
    frameStart: info.frame_start,
    frameEnd: info.frame_end,
    frameStep: info.frame_step,
    output: info.output,
    format: info.format,
    resolution: { x: info.resolution_x, y: info.resolution_y, percent: info.resolution_percentage },
    cameras: info.cameras,
    activeCamera: info.active_camera,
    layers: info.view_layers,
    engine: info.engine,
    version: info.version,
    ...(info.scene !== undefined ? { sceneName: info.scene } : {}),
    ...(info.fps !== undefined ? { fps: info.fps } : {}),
  };
}

/** Blender's own error line, as the user's problem when it is about the file. */
function readError(scene: string, lastError: string | undefined): Error | null {
  if (!lastError) return null;
  if (/File format is not supported|Failed to read blend file|not a blend file/i.test(lastError)) {
    return new InputError('scene', `not a .blend file Blender can read: ${scene} (${lastError.replace(/^Error: /, '')})`);
  }
  if (/No such file or directory/.test(lastError)) return new InputError('scene', `no such file: ${scene}`);
  return null;
}

export async function probeBlenderScene(scene: string, executable: string): Promise<SceneInfo> {
  requireSceneFile(scene);
  const { execa } = await import('execa');
  const result = await execa(executable, ['-b', '--factory-startup', '--disable-autoexec', scene, '--python-exit-code', '1', '--python-expr', COLD_SCRIPT], {
    reject: false,
    timeout: PROBE_TIMEOUT_MS,
    stdin: 'ignore',
    all: true,
    cwd: path.dirname(scene),
  });
  const output = result.all ?? '';
  if (result.timedOut) throw new Error(`Blender did not read ${scene} within ${PROBE_TIMEOUT_MS / 1000} s`);
  const line = output.split(/\r?\n/).find((l) => l.startsWith(PROBE_PREFIX));
  if (!line || result.exitCode !== 0) {
    const lastError = output
      .split(/\r?\n/)
      .filter((l) => /^Error: /.test(l))
      .pop();
    const userError = readError(scene, lastError);
    if (userError) throw userError;
    if (result.exitCode === undefined && !result.signal) throw new Error(`cannot run Blender (${executable}): ${result.shortMessage ?? 'it did not start'}`);
    const detail = lastError ?? output.trim().split(/\r?\n/).pop() ?? `exit code ${String(result.exitCode)}`;
    throw new Error(`Blender failed to read ${scene}: ${detail}`);
  }
  return toSceneInfo((JSON.parse(line.slice(PROBE_PREFIX.length)) as { info: ProbeJson }).info);
}

export const blenderWarmProbe: WarmProbeSpec = {
  args: ['-b', '--factory-startup', '--disable-autoexec', '--python-exit-code', '1', '--python-expr', WARM_SCRIPT],
  prefix: PROBE_PREFIX,
  read(reply, scene) {
    if (reply.error !== undefined) {
      throw readError(scene, reply.error) ?? new Error(`Blender failed to read ${scene}: ${reply.error}`);
    }
    return toSceneInfo(reply.info as ProbeJson);
  },
};
