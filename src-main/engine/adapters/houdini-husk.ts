/**
 * SideFX husk: renders a USD stage with Karma (or another Hydra delegate) [HK].
 * Houdini cannot run here; flags and lines are from SideFX's husk page, Deadline Cloud and CGRU
 * (sources in houdini-husk.test.ts).
 */
import type { RegisteredAdapter, Command, OutputParser, ParsedEvent, RenderChunk } from './adapter';
import {
  alfProgress,
  arithmeticRun,
  childEnv,
  frameOfFile,
  gpuEnv,
  licenceError,
  matchErrorRules,
  outputPieces,
  threadsFor,
  type ErrorRule,
  expectedIfAccepted,
} from './common-patterns';

/** husk expands `$F4` to the 4-digit frame in `-o` [HK]; Spool's `####` becomes `$F4`. */
export function huskOutput(pattern: string): string | null {
  const split = outputPieces(pattern);
  if (!split) return null;
  return `${split.prefix}${split.width === 1 ? '$F' : `$F${split.width}`}${split.tail}`;
}

const HUSK_ERRORS: readonly ErrorRule[] = [
  { re: /Failed to create file/, retryable: true, fatal: true }, // CG karma.py
  { re: /Couldn't find renderer/i, retryable: false, fatal: true }, // DL
  { re: /Error loading geometry .* from stdin/, retryable: true, fatal: true }, // CG karma.py
  { re: /Error: |\[Error\]/i, retryable: true, fatal: false }, // DC-houdini, DL
];

export function createHuskParser(chunk: RenderChunk): OutputParser {
  const expected = (frame: number): string | null => expectedOutput(chunk, frame);
  let current: number | null = chunk.frames[0] ?? null;
  return {
    parse(line: string): ParsedEvent[] {
      const licence = licenceError(line);
      if (licence) return [licence];
      const error = matchErrorRules(line, HUSK_ERRORS);
      if (error) return [error];

      // CG karma.py takes `Image: <path>` lines as written images.
      const image = /Image:\s+(.+?)\s*$/.exec(line)?.[1];
      if (image) {
        const frame = frameOfFile(chunk, image, expected);
        if (frame === null) return [];
        // husk renders the chunk's frames in order: one written means the next has begun.
        const next = chunk.frames[chunk.frames.indexOf(frame) + 1];
        current = next ?? frame;
        const events: ParsedEvent[] = [{ type: 'frame-saved', frame, path: image }];
        if (next !== undefined) events.push({ type: 'frame-start', frame: next });
        return events;
      }

      const fraction = alfProgress(line);
      return fraction === null ? [] : [{ type: 'progress', frame: current, fraction }];
    },
  };
}

function expectedOutput(chunk: RenderChunk, frame: number): string | null {
  return expectedIfAccepted(chunk, frame, outputPieces);
}

export const huskAdapter: RegisteredAdapter = {
  id: 'houdini-husk',
  label: 'Houdini husk (USD)',
  extensions: ['.usd', '.usda', '.usdc', '.usdz'],
  executables: ['husk'],
  letter: 'U',
  overrides: ['camera', 'layer', 'samples'],
  detect: {
    product: 'Houdini',
    role: 'husk',
    paths: {
      win32: ['{ProgramFiles}/Side Effects Software/Houdini */bin/husk.exe'], // DL Houdini.param
      darwin: ['/Applications/Houdini/Houdini*/Frameworks/Houdini.framework/Versions/Current/Resources/bin/husk'], // DL (hython's folder)
      linux: ['/opt/hfs*/bin/husk'], // DL Houdini.param (hython's folder)
    },
    // `husk --version` prints the renderer's version string [HK]; a log shows `husk version 19.5.569`
    // (deadline-cloud-for-houdini PR 141). The folder name holds the full version too.
    probe: { args: ['--version'], pattern: /husk version (\d+\.\d+(?:\.\d+)?)/i },
    pathVersion: /(?:hfs|houdini ?)(\d+\.\d+(?:\.\d+)?)/i,
  },
  chunkShape: 'arithmetic',

  validate({ output }) {
    if (output !== null && !outputPieces(output)) return 'husk output needs # for the frame number, e.g. /dir/beauty.####.exr';
    return null;
  },

  buildCommand(chunk: RenderChunk, executable: string): Command {
    if (!chunk.scene) throw new Error('husk needs a USD file');
    const { start, step, count } = arithmeticRun(chunk.frames);
    // --frame-count is a number of frames, not an end frame (deadline-cloud-samples husk job: -n = end - start + 1).
    const args = ['--frame', String(start), '--frame-count', String(count), '--frame-inc', String(step)];

    const gpu = chunk.device.kind === 'gpu';
    args.push('--engine', gpu ? 'xpu' : 'cpu');
    const threads = threadsFor(chunk.device, chunk.overrides);
    if (threads) args.push('-j', String(threads)); // -j/--threads: TBB workers (Autodesk/arnold-usd issue 1077)
    if (chunk.overrides.camera) args.push('--camera', chunk.overrides.camera);
    // A Solaris "layer" is a RenderSettings prim: each pass of a shot is its own settings prim.
    if (chunk.overrides.layer) args.push('--settings', chunk.overrides.layer);
    if (chunk.overrides.samples) args.push('--pixel-samples', String(chunk.overrides.samples));
    if (chunk.output) {
      const out = huskOutput(chunk.output);
      if (!out) throw new Error(`husk cannot write to ${chunk.output}`);
      args.push('--output', out, '--make-output-path');
    }
    args.push(chunk.scene);

    const merged = childEnv(gpuEnv(chunk.device, true), chunk.overrides);
    return merged ? { file: executable, args, env: merged } : { file: executable, args };
  },

  expectedOutput,
  createParser: createHuskParser,
};
