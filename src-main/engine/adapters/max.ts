/**
 * Autodesk 3ds Max through `3dsmaxcmd` (Windows only) [MX, CGJ, DL 3dsCmd].
 * 3ds Max cannot run here; sources of every flag and line are in max.test.ts.
 */
import type { RegisteredAdapter, Command, OutputParser, ParsedEvent, RenderChunk } from './adapter';
import {
  arithmeticRun,
  childEnv,
  gpuEnv,
  licenceError,
  matchErrorRules,
  outputPieces,
  type ErrorRule,
  expectedIfAccepted,
} from './common-patterns';

/**
 * 3ds Max appends a 4-digit frame number to the output name of an animation (image0000.exr;
 * UNVERIFIED on a real install), so `name####.ext` is passed as `name.ext`.
 */
function maxOutputName(pattern: string): string | null {
  const split = outputPieces(pattern);
  if (!split || split.width !== 4 || !/^\.[A-Za-z0-9]+$/.test(split.tail)) return null;
  return `${split.prefix}${split.tail}`;
}

const MAX_ERRORS: readonly ErrorRule[] = [
  { re: /Error occ?urr?ed while rendering job/, retryable: true, fatal: true }, // CG max.py ("occured" sic)
];

export function createMaxParser(chunk: RenderChunk): OutputParser {
  let current: number | null = null;
  let completed = 0;
  // `Frame N completed` may count frames rather than name them; a number outside the chunk is taken as the count.
  const frameOf = (n: number): number | null => (chunk.frames.includes(n) ? n : (chunk.frames[completed] ?? null));
  return {
    parse(line: string): ParsedEvent[] {
      const licence = licenceError(line);
      if (licence) return [licence];
      const error = matchErrorRules(line, MAX_ERRORS);
      if (error) return [error];

      const assigned = /Frame (-?\d+) assigned/.exec(line)?.[1]; // DL
      if (assigned !== undefined) {
        const frame = frameOf(Number(assigned));
        if (frame === null) return [];
        current = frame;
        return [{ type: 'frame-start', frame }];
      }
      const done = /Frame (-?\d+) completed/i.exec(line)?.[1]; // CG max.py; MX: verbosity 5 "Frame Completed"
      if (done !== undefined) {
        const frame = frameOf(Number(done));
        completed += 1;
        if (frame === null) return [];
        current = null;
        const file = expectedOutput(chunk, frame);
        return file ? [{ type: 'frame-saved', frame, path: file }] : [{ type: 'progress', frame, fraction: 1 }];
      }
      const pct = /progr:\s*(\d{1,3})%\s*rendered/.exec(line)?.[1]; // CG max.py
      return pct === undefined ? [] : [{ type: 'progress', frame: current, fraction: Math.min(Number(pct) / 100, 1) }];
    },
  };
}

function expectedOutput(chunk: RenderChunk, frame: number): string | null {
  return expectedIfAccepted(chunk, frame, maxOutputName);
}

export const maxAdapter: RegisteredAdapter = {
  id: '3dsmax',
  label: 'Autodesk 3ds Max',
  extensions: ['.max'],
  executables: ['3dsmaxcmd'],
  letter: '3',
  overrides: ['camera', 'layer'],
  detect: {
    product: '3ds Max',
    paths: { win32: ['{ProgramFiles}/Autodesk/3ds Max */3dsmaxcmd.exe'] }, // DL 3dsCmd.param; Windows only [DL]
    pathVersion: /3ds max (\d{4})/i,
  },
  chunkShape: 'arithmetic',

  validate({ output }) {
    if (output !== null && !maxOutputName(output)) {
      return '3ds Max output must look like C:\\dir\\name####.ext (it appends a 4-digit frame number)';
    }
    return null;
  },

  buildCommand(chunk: RenderChunk, executable: string): Command {
    if (!chunk.scene) throw new Error('3ds Max needs a .max file');
    const { start, end, step } = arithmeticRun(chunk.frames);
    // Switch values after a colon (MX: the colon may also be a space or '='); -v:5 prints per-frame
    // completion, -showRFW:0 keeps the frame window closed, -continueOnError renders on past a bad frame.
    const args = [
      chunk.scene,
      `-start:${start}`,
      `-end:${end}`,
      `-nthFrame:${step}`,
      '-v:5',
      '-continueOnError',
      '-showRFW:0',
    ];
    if (chunk.overrides.camera) args.push(`-cam:${chunk.overrides.camera}`);
    if (chunk.overrides.layer) args.push(`-batchrender:${chunk.overrides.layer}`); // a Batch Render view [CGJ]
    if (chunk.output) {
      const out = maxOutputName(chunk.output);
      if (!out) throw new Error(`3ds Max cannot write to ${chunk.output}`);
      args.push(`-outputName:${out}`);
    }
    // No 3dsmaxcmd thread switch was verified; on a GPU slot the GPU renderer may only see its GPU.
    const merged = childEnv(gpuEnv(chunk.device, true), chunk.overrides);
    return merged ? { file: executable, args, env: merged } : { file: executable, args };
  },

  expectedOutput,
  createParser: createMaxParser,
};
