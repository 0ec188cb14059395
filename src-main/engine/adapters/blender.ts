import path from 'node:path';
import { isArithmetic } from '../frames';
import type { JobOverrides } from '../types';
import type { RegisteredAdapter, Command, OutputParser, ParsedEvent, RenderChunk } from './adapter';
import { blenderWarmProbe, probeBlenderScene } from './blender-probe';
import { expandPattern, splitPattern } from './output-pattern';

/**
 * Blender image formats (`-F`), with the extension Blender gives each and any others it accepts
 * as already right (source: Blender 3.4 `do_add_image_extension`, checked here with real renders:
 * `-F TIFF -o img_####.tiff` keeps `.tiff`, `-F PNG -o img_####.jpg` writes `img_0003.png`).
 */
const IMAGE_FORMATS: Record<string, { ext: string; also?: string[] }> = {
  PNG: { ext: '.png' },
  JPEG: { ext: '.jpg', also: ['.jpeg'] },
  BMP: { ext: '.bmp' },
  IRIS: { ext: '.rgb' },
  IRIZ: { ext: '.rgb' },
  TGA: { ext: '.tga' },
  RAWTGA: { ext: '.tga' },
  HDR: { ext: '.hdr' },
  TIFF: { ext: '.tif', also: ['.tiff'] },
  OPEN_EXR: { ext: '.exr' },
  OPEN_EXR_MULTILAYER: { ext: '.exr' },
  CINEON: { ext: '.cin' },
  DPX: { ext: '.dpx' },
  DDS: { ext: '.dds' },
  JP2: { ext: '.jp2' },
  WEBP: { ext: '.webp' },
};

/** Movie formats write one file per run: nothing to checkpoint per frame, so they are refused. */
const MOVIE_FORMATS = new Set(['AVIRAW', 'AVIJPEG', 'FFMPEG', 'MPEG', 'H264', 'XVID', 'THEORA', 'QUICKTIME']);

const FORMAT_ALIASES: Record<string, string> = { EXR: 'OPEN_EXR', JPG: 'JPEG', TIF: 'TIFF', TARGA: 'TGA' };

/** Extensions Blender replaces rather than appends to (its `imb_ext_image` list, 3.4). */
const KNOWN_IMAGE_EXTS = new Set([
  '.png', '.tga', '.bmp', '.jpg', '.jpeg', '.sgi', '.rgb', '.rgba', '.tif', '.tiff', '.tx', '.jp2', '.j2c', '.hdr',
  '.dds', '.dpx', '.cin', '.exr', '.psd', '.pdd', '.psb', '.webp',
]);

export function blenderFormat(format: string | undefined): string | null {
  if (!format) return null;
  const upper = format.trim().toUpperCase();
  return FORMAT_ALIASES[upper] ?? upper;
}

/** The extension Blender gives an image format's files (`.png`), or null for a movie or unknown one. */
export function blenderImageExtension(format: string): string | null {
  return IMAGE_FORMATS[format]?.ext ?? null;
}

/**
 * Runs inside Blender after the scene is loaded. It reads its values from one JSON literal, so a
 * camera called `x'); import os; os.system('…` stays a string. Overwrite is forced because Spool,
 * not Blender, decides which frames still need rendering: a file left half-written by a killed
 * attempt must not be skipped as "existing". Failing loudly (exit 1) beats rendering the wrong camera.
 */
const OVERRIDE_SCRIPT = `import bpy, json, sys
o = json.loads(SPOOL_JSON)
s = bpy.context.scene
s.render.use_overwrite = True
s.render.use_placeholder = False
def fail(m):
    print('Error: Spool override: ' + m, flush=True)
    sys.exit(1)
if 'camera' in o:
    c = s.objects.get(o['camera'])
    if c is None or c.type != 'CAMERA':
        fail('no camera %r in scene %r (cameras: %s)' % (o['camera'], s.name, ', '.join(x.name for x in s.objects if x.type == 'CAMERA') or 'none'))
    s.camera = c
    for m in s.timeline_markers:
        m.camera = None
if 'samples' in o:
    if s.render.engine == 'CYCLES':
        s.cycles.samples = o['samples']
    elif s.render.engine.startswith('BLENDER_EEVEE'):
        s.eevee.taa_render_samples = o['samples']
if 'layer' in o:
    if o['layer'] not in s.view_layers:
        fail('no view layer %r in scene %r (layers: %s)' % (o['layer'], s.name, ', '.join(v.name for v in s.view_layers)))
    for v in s.view_layers:
        v.use = v.name == o['layer']
`;

/**
 * A Python string literal holding `value` as JSON. Non-ASCII is escaped inside the JSON (json.loads
 * joins surrogate pairs), so the expression itself is plain ASCII whatever the names contain.
 */
export function pythonJsonLiteral(value: unknown): string {
  const json = JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // A JSON string literal of ASCII text is also a valid Python string literal.
  return JSON.stringify(json);
}

export function overrideScript(overrides: JobOverrides): string {
  const data: { camera?: string; samples?: number; layer?: string } = {};
  if (overrides.camera !== undefined) data.camera = overrides.camera;
  if (overrides.samples !== undefined) data.samples = overrides.samples;
  if (overrides.layer !== undefined) data.layer = overrides.layer;
  return OVERRIDE_SCRIPT.replace('SPOOL_JSON', pythonJsonLiteral(data));
}

function buildCommand(chunk: RenderChunk, executable: string): Command {
  if (!chunk.scene) throw new Error('Blender needs a scene file');
  if (chunk.frames.some((f) => f < 0)) throw new Error('Blender cannot render negative frame numbers');
  const args = ['-b', chunk.scene];
  const format = blenderFormat(chunk.overrides.format);
  if (chunk.output) {
    // `-x 1` so the extension rule expectedOutput follows holds whatever the scene says.
    args.push('-o', chunk.output, '-x', '1');
  }
  if (format) args.push('-F', format);
  if (chunk.device.kind === 'cpu' && chunk.device.threads > 0) args.push('-t', String(chunk.device.threads));
  args.push('--python-exit-code', '1', '--python-expr', overrideScript(chunk.overrides));
  // Blender acts on its arguments in order: the render must come after every setting it should see.
  const run = isArithmetic(chunk.frames);
  if (run && run.step > 0 && chunk.frames.length > 1) {
    args.push('-s', String(run.start), '-e', String(run.end), '-j', String(run.step), '-a');
  } else {
    args.push('-f', chunk.frames.join(','));
  }
  // Everything after `--` is left to Python, where Cycles reads its device override.
  const env: Record<string, string> = {};
  if (chunk.device.kind === 'cpu') {
    args.push('--', '--cycles-device', 'CPU');
  } else {
    // Cycles has no per-GPU flag; hiding the other GPUs is the generic CUDA way. PCI order makes
    // index N the GPU nvidia-smi (and Spool's device list) calls N, not CUDA's fastest-first order.
    args.push('--', '--cycles-device', 'CUDA');
    env.CUDA_DEVICE_ORDER = 'PCI_BUS_ID';
    env.CUDA_VISIBLE_DEVICES = String(chunk.device.index);
  }
  const command: Command = { file: executable, args, cwd: path.dirname(chunk.scene) };
  if (Object.keys(env).length > 0) command.env = env;
  return command;
}

/** What Blender 3.4 writes for `-o pattern -F format -x 1`: `#` run expanded (or `####` appended), extension ensured. */
export function blenderOutputPath(pattern: string, format: string, frame: number): string | null {
  const info = IMAGE_FORMATS[format];
  if (!info) return null;
  const withFrame = splitPattern(pattern) ? expandPattern(pattern, frame) : expandPattern(`${pattern}####`, frame);
  const dot = withFrame.lastIndexOf('.');
  const slash = Math.max(withFrame.lastIndexOf('/'), withFrame.lastIndexOf('\\'));
  const ext = dot > slash ? withFrame.slice(dot).toLowerCase() : '';
  if (ext === info.ext || info.also?.includes(ext)) return withFrame;
  if (ext === '.') return withFrame.slice(0, dot) + info.ext;
  if (KNOWN_IMAGE_EXTS.has(ext)) return withFrame.slice(0, dot) + info.ext;
  return withFrame + info.ext;
}

function expectedOutput(chunk: RenderChunk, frame: number): string | null {
  const format = blenderFormat(chunk.overrides.format);
  if (!chunk.output || !format) return null;
  return blenderOutputPath(chunk.output, format, frame);
}

/**
 * Errors that say the same thing next time: the scene, the build or the job is wrong, not the moment.
 * A scene that cannot be read because it is not there (or its share hiccuped) is the moment: the
 * job was checked at submit, so the file was there, and on network shares it comes back.
 */
const PERMANENT_ERRORS = [
  /Build without OpenImageDenoiser/,
  /Cannot read file '.*': (?!No such file or directory$|Input\/output error$|Stale file handle$|Resource temporarily unavailable$)/,
  /Failed to read blend file/,
  /File format is not supported/,
  /not known or not compiled/,
  /Found no Cycles device/,
  /Spool override:/,
];

const FRA = /^Fra:(\d+) /;
const CYCLES_SAMPLE = /\| (?:Path Tracing )?Sample (\d+)\/(\d+)/;
const EEVEE_SAMPLES = /\| Rendering (\d+) \/ (\d+) samples/;
const OLD_TILES = /\| (?:Rendered|Path Tracing Tile) (\d+)\/(\d+)(?: Tiles)?/;
const SAVED = /^Saved: '(.*)'\s*$/;
/** `BLI_timecode_string_from_time_simple`: `MM:SS.hh`, or `HH:MM:SS.hh` from an hour on. */
const FRAME_TIME = /^ ?Time: (?:(\d+):)?(\d+):(\d+)\.(\d+) \(Saving: /;
const ERROR = /^Error: (.*)$/;
const RENDER_ERROR = /Render error \(.*\) cannot save: /;

function clockMs([, h, m, s, fraction]: RegExpExecArray): number {
  return ((Number(h ?? 0) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Math.round(Number(`0.${fraction}`) * 1000);
}

export function createBlenderParser(): OutputParser {
  let current: number | null = null;
  const seen = new Set<number>();
  return {
    parse(line: string): ParsedEvent[] {
      const events: ParsedEvent[] = [];
      const fra = FRA.exec(line);
      if (fra) {
        const frame = Number(fra[1]);
        current = frame;
        if (!seen.has(frame)) {
          seen.add(frame);
          events.push({ type: 'frame-start', frame });
        }
        const m = CYCLES_SAMPLE.exec(line) ?? EEVEE_SAMPLES.exec(line) ?? OLD_TILES.exec(line);
        if (m) {
          const total = Number(m[2]);
          if (total > 0) events.push({ type: 'progress', frame, fraction: Math.min(1, Number(m[1]) / total) });
        }
        return events;
      }
      const saved = SAVED.exec(line);
      if (saved) return [{ type: 'frame-saved', frame: current, path: saved[1]! }];
      const time = FRAME_TIME.exec(line);
      if (time) return [{ type: 'frame-time', frame: current, ms: clockMs(time) }];
      const error = ERROR.exec(line);
      if (error) {
        const message = error[1]!.trim();
        // A leak report at exit says nothing about the images, which are already on disk.
        if (/^Not freed memory blocks/.test(message)) return [];
        return [{ type: 'error', message, retryable: !PERMANENT_ERRORS.some((re) => re.test(message)), fatal: true }];
      }
      if (RENDER_ERROR.test(line)) return [{ type: 'error', message: line.trim(), retryable: true, fatal: true }];
      if (/^Warning: Unable to open/.test(line)) return [{ type: 'error', message: line.trim(), retryable: true, fatal: false }];
      return events;
    },
  };
}

function validate(input: { scene: string | null; output: string | null; overrides: JobOverrides }): string | null {
  const format = blenderFormat(input.overrides.format);
  if (format) {
    if (MOVIE_FORMATS.has(format)) {
      return `format ${format} writes a movie, not one image per frame: render an image sequence (e.g. PNG or OPEN_EXR) and encode it afterwards`;
    }
    if (!IMAGE_FORMATS[format]) return `unknown Blender image format ${JSON.stringify(input.overrides.format)} (known: ${Object.keys(IMAGE_FORMATS).join(', ')})`;
  }
  const samples = input.overrides.samples;
  if (samples !== undefined && (!Number.isInteger(samples) || samples < 1)) return `samples must be a whole number of at least 1, not ${samples}`;
  if (input.overrides.camera !== undefined && input.overrides.camera.trim() === '') return 'camera name is empty';
  if (input.overrides.layer !== undefined && input.overrides.layer.trim() === '') return 'view layer name is empty';
  return null;
}

export const blenderAdapter: RegisteredAdapter = {
  id: 'blender',
  label: 'Blender',
  extensions: ['.blend'],
  executables: ['blender'],
  letter: 'B',
  overrides: ['camera', 'layer', 'samples', 'format'],
  detect: {
    product: 'Blender',
    paths: {
      // DL Blender.param had `…\Blender Foundation\Blender\blender.exe`; installers add the version.
      win32: ['{ProgramFiles}/Blender Foundation/Blender*/blender.exe'],
      darwin: ['/Applications/Blender.app/Contents/MacOS/Blender', '/Applications/Blender*.app/Contents/MacOS/Blender'], // FL darwin.go
      linux: ['/usr/bin/blender', '/snap/bin/blender', '/opt/blender*/blender'], // Debian; snap; release tarballs
    },
    // FL, BM `-v`; Debian's 3.4.1 here prints exactly `Blender 3.4.1`.
    probe: { args: ['--version'], pattern: /^Blender (\d+\.\d+(?:\.\d+)?)/m },
    pathVersion: /blender[ -]?(\d+\.\d+(?:\.\d+)?)/i,
  },
  chunkShape: 'any',
  minFrame: 0,
  // MAXFRAME (DNA_scene_types.h): Blender clamps `-f`/`-e` beyond it and writes the clamped frame instead.
  maxFrame: 1_048_574,
  validate,
  buildCommand,
  expectedOutput,
  createParser: () => createBlenderParser(),
  probeScene: probeBlenderScene,
  warmProbe: blenderWarmProbe,
};
