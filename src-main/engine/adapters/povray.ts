import path from 'node:path';
import type { JobOverrides } from '../types';
import type { RegisteredAdapter, Command, OutputParser, ParsedEvent, RenderChunk } from './adapter';
import { coveringRun, padFrame, splitPattern } from './output-pattern';
import { probePovrayScene } from './povray-probe';

/**
 * POV-Ray 3.7 animation, as measured here with Debian's 3.7.0.10:
 * - `+KFI a +KFF b` make it an animation; `+SF s +EF e` render the subset s..e and `+STP n`
 *   (Frame_Step) every n-th frame of it, counted from s.
 * - It names frame f `<name><f zero-padded to the digits of KFF><ext>`: `+O/o/img_.png +KFF12`
 *   writes `/o/img_03.png`. When the name does not end in the format's own extension it appends one
 *   (`+O/o/img_.exr` with PNG output writes `/o/img_.exr03.png`).
 * - `clock` = KI + (f - KFI) · (KF - KI) / (KFF - KFI); with KFI = KFF it is NaN.
 * - Progress: `Rendering frame N of M` where N = f - s + 1 and M = e - s + 1 (step not counted),
 *   `Rendered 1024 of 3072 pixels (33%)` redrawn with `\r`, then `Render Statistics` once the
 *   image file is closed (strace: the PNG's close() comes before that line is written).
 * - A missing directory, a parse error or a missing scene exit 1 with `Render failed`.
 */

const FORMATS: Record<string, { flag: string; ext: string }> = {
  PNG: { flag: 'N', ext: '.png' },
  JPEG: { flag: 'J', ext: '.jpg' },
  OPEN_EXR: { flag: 'E', ext: '.exr' },
  HDR: { flag: 'H', ext: '.hdr' },
  TGA: { flag: 'T', ext: '.tga' },
  PPM: { flag: 'P', ext: '.ppm' },
};
const ALIASES: Record<string, string> = { EXR: 'OPEN_EXR', JPG: 'JPEG', TARGA: 'TGA' };

function formatName(format: string): string {
  const upper = format.trim().toUpperCase();
  return ALIASES[upper] ?? upper;
}

/** The format a job asks for, else the one its pattern's extension names, else PNG (POV-Ray's Unix default). */
function outputFormat(overrides: JobOverrides, tail: string): string {
  if (overrides.format) return formatName(overrides.format);
  const byExt = Object.entries(FORMATS).find(([, f]) => f.ext === tail.toLowerCase());
  return byExt ? byExt[0] : 'PNG';
}

interface Plan {
  start: number;
  end: number;
  step: number;
  kfi: number;
  kff: number;
  ki: number;
  kf: number;
  /** Output: what POV-Ray is told (`+O`), how it will name frames; null = the scene's own name. */
  out: { name: string; base: string; ext: string; digits: number; format: string } | null;
}

/**
 * POV-Ray pads the frame to the digits of KFF, which also drives `clock`. So KFI/KFF are chosen to
 * give the pattern's padding, and KI/KF are solved so that `clock` still runs 0 → 1 from the job's
 * first to its last frame, the same in every chunk whatever its padding.
 */
function plan(chunk: RenderChunk): Plan {
  if (chunk.frames.some((f) => f < 0)) throw new Error('POV-Ray cannot render negative frame numbers');
  const { start, end, step } = coveringRun(chunk.frames);
  const first = Math.min(chunk.sequence?.first ?? start, start);
  const last = Math.max(chunk.sequence?.last ?? end, end);

  let out: Plan['out'] = null;
  let kff = Math.max(last, end);
  if (chunk.output) {
    const parts = splitPattern(chunk.output) ?? { head: chunk.output, digits: 4, tail: '' };
    const format = outputFormat(chunk.overrides, parts.tail);
    const ext = FORMATS[format]?.ext ?? '.png';
    kff = Math.max(end, 10 ** (parts.digits - 1));
    // POV-Ray numbers the name's end, before the extension only when that is the format's own.
    const base = parts.tail === ext ? parts.head : parts.head + parts.tail;
    out = { name: parts.head + parts.tail, base, ext, digits: 0, format };
  }
  // KFI = KFF would make clock NaN.
  const kfi = first < kff ? first : first - 1;
  if (out) out.digits = String(kff).length;

  const clockAt = (f: number): number => (last > first ? (f - first) / (last - first) : 0);
  return { start, end, step, kfi, kff, ki: clockAt(kfi), kf: clockAt(kff), out };
}

/** POV-Ray reads the number itself; keep exponents (`1e-7`) out of it. */
function decimal(n: number): string {
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : s;
}

function buildCommand(chunk: RenderChunk, executable: string): Command {
  if (!chunk.scene) throw new Error('POV-Ray needs a scene file');
  const p = plan(chunk);
  const args = [`+I${povrayPath(chunk.scene!)}`];
  if (p.out) args.push(`+O${povrayPath(p.out.name)}`, `+F${FORMATS[p.out.format]?.flag ?? 'N'}`);
  else if (chunk.overrides.format) {
    const f = FORMATS[formatName(chunk.overrides.format)];
    if (f) args.push(`+F${f.flag}`);
  }
  args.push(`+KFI${p.kfi}`, `+KFF${p.kff}`, `+KI${decimal(p.ki)}`, `+KF${decimal(p.kf)}`, `+SF${p.start}`, `+EF${p.end}`);
  if (p.step !== 1) args.push(`+STP${p.step}`);
  if (chunk.device.kind === 'cpu' && chunk.device.threads > 0) args.push(`+WT${chunk.device.threads}`);
  // No display window, and verbose so each frame names its output file.
  args.push('-D', '+V');
  // The scene's folder, so a povray.ini beside the scene and relative #include paths work as they would by hand.
  return { file: executable, args, cwd: path.dirname(chunk.scene) };
}

function expectedOutput(chunk: RenderChunk, frame: number): string | null {
  if (!chunk.output) return null;
  const out = plan(chunk).out!;
  return out.base + padFrame(frame, out.digits) + out.ext;
}

type ErrorRule = { re: RegExp; fatal: boolean; retryable: boolean };
const ERROR_RULES: ErrorRule[] = [
  // Often only a warning (`Possible Parse Error: assumed_gamma not specified` on a scene that renders).
  { re: /(?:^|: )Possible Parse Error: /, fatal: false, retryable: true },
  // Scene problems: the same file fails the same way next time.
  { re: /(?:^|: )Parse Error: /, fatal: true, retryable: false },
  { re: /^Fatal error in parser: /, fatal: true, retryable: false },
  { re: /^Fatal error in /, fatal: true, retryable: true },
  { re: /^Cannot create render state output file/, fatal: false, retryable: true },
  { re: /^Render failed\s*$/, fatal: true, retryable: true },
];

const RENDERING_FRAME = /^Rendering frame (\d+) of (\d+)/;
// Greedy: a path may itself contain ", 8 bpp"; the real one is the last.
const OUTPUT_FILE = /^\s*Output file\.+(.*), \d+ bpp\b/;
const PIXELS = /Rendered (\d+) of (\d+) pixels/g;

export function createPovrayParser(chunk: RenderChunk): OutputParser {
  const { start } = coveringRun(chunk.frames);
  let current: number | null = null;
  let file: string | null = null;
  let savedCurrent = false;
  const started = new Set<number>();

  const savedEvent = (): ParsedEvent[] => {
    if (current === null || savedCurrent) return [];
    savedCurrent = true;
    const where = file ?? (chunk.output ? expectedOutput(chunk, current) : null);
    return where ? [{ type: 'frame-saved', frame: current, path: where }] : [];
  };

  return {
    parse(line: string): ParsedEvent[] {
      // The pixel counter is redrawn with `\r`: a line may hold several redraws, the last is news.
      const text = line.includes('\r') ? line.split('\r').filter((s) => s.trim() !== '').pop() ?? '' : line;
      const rendering = RENDERING_FRAME.exec(text);
      if (rendering) {
        const frame = start + Number(rendering[1]) - 1;
        if (started.has(frame)) return [];
        // Without `Render Statistics` (statistics turned off in an ini), the next frame starting means this one was written.
        const events = frame !== current ? savedEvent() : [];
        started.add(frame);
        current = frame;
        file = null;
        savedCurrent = false;
        events.push({ type: 'frame-start', frame });
        return events;
      }
      const output = OUTPUT_FILE.exec(text);
      if (output) {
        file = output[1]!;
        return [];
      }
      let pixels: RegExpExecArray | null = null;
      for (let m = PIXELS.exec(text); m; m = PIXELS.exec(text)) pixels = m;
      if (pixels) {
        const total = Number(pixels[2]);
        return total > 0 ? [{ type: 'progress', frame: current, fraction: Math.min(1, Number(pixels[1]) / total) }] : [];
      }
      if (/^Render Statistics\s*$/.test(text) || /^POV-Ray finished\s*$/.test(text)) return savedEvent();
      const rule = ERROR_RULES.find((r) => r.re.test(text));
      if (rule) return [{ type: 'error', message: text.trim(), fatal: rule.fatal, retryable: rule.retryable }];
      return [];
    },
  };
}

/**
 * POV-Ray splits its own option text on whitespace even inside one argv item, and reads a
 * double-quoted path as one: so a path with spaces is quoted for POV-Ray (no shell is involved).
 * A path containing a double quote cannot be expressed at all and is refused in validate().
 */
function povrayPath(file: string): string {
  return /[\s;,]/.test(file) ? `"${file}"` : file;
}

function validate(input: { scene: string | null; output: string | null; overrides: JobOverrides }): string | null {
  for (const [what, file] of [['scene', input.scene], ['output', input.output]] as const) {
    if (file?.includes('"')) return `POV-Ray cannot read a ${what} path containing a double quote: ${file}`;
  }
  let format: string | null = null;
  if (input.overrides.format) {
    format = formatName(input.overrides.format);
    if (!FORMATS[format]) return `POV-Ray cannot write ${JSON.stringify(input.overrides.format)} (it writes ${Object.keys(FORMATS).join(', ')})`;
  }
  if (input.output) {
    const parts = splitPattern(input.output);
    if (parts) {
      const ext = FORMATS[format ?? outputFormat(input.overrides, parts.tail)]!.ext;
      if (parts.tail !== '' && parts.tail !== ext) {
        return `POV-Ray puts the frame number last, just before the extension: end the output pattern with the # run, or with #${ext} (got …#${parts.tail})`;
      }
    }
  }
  return null;
}

export const povrayAdapter: RegisteredAdapter = {
  id: 'povray',
  label: 'POV-Ray',
  extensions: ['.pov'],
  executables: ['povray'],
  letter: 'P',
  overrides: ['format'],
  detect: {
    product: 'POV-Ray',
    paths: {
      // POV-Ray for Windows is a GUI (pvengine): never started by Spool, so only a `povray` on PATH counts.
      win32: [],
      darwin: ['/opt/homebrew/bin/povray', '/usr/local/bin/povray'],
      linux: ['/usr/bin/povray'], // Debian package `povray`
    },
    // Debian's build prints `POV-Ray 3.7.0.10.unofficial` on stderr (checked here).
    probe: { args: ['--version'], pattern: /POV-Ray (\d+(?:\.\d+)+)/ },
  },
  chunkShape: 'arithmetic',
  minFrame: 0,
  validate,
  buildCommand,
  expectedOutput,
  createParser: (chunk) => createPovrayParser(chunk),
  probeScene: probePovrayScene,
};
