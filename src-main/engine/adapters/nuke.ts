/**
 * Foundry Nuke in terminal render mode (`-x`) [CGJ, DL Nuke.py].
 * Nuke cannot run here; the lines below are from Deadline Cloud's Nuke adaptor, a CopyCat test
 * fake recorded from Nuke 16.0v1, and public `nuke -x` logs (sources in nuke.test.ts).
 */
import type { RegisteredAdapter, Command, OutputParser, ParsedEvent, RenderChunk } from './adapter';
import {
  arithmeticRun,
  childEnv,
  gpuEnv,
  licenceError,
  matchErrorRules,
  threadsFor,
  type ErrorRule,
} from './common-patterns';

/** Nuke's -F syntax: `5`, `1-10`, `1-10x2` [CGJ]. */
export function nukeFrameRange(frames: number[]): string {
  const { start, end, step } = arithmeticRun(frames);
  if (start === end) return String(start);
  return step === 1 ? `${start}-${end}` : `${start}-${end}x${step}`;
}

const NUKE_ERRORS: readonly ErrorRule[] = [
  { re: /Segmentation fault/, retryable: true, fatal: true }, // CG nuke.py
  // With --cont Nuke renders on past a failed frame, so one error line does not fail the chunk:
  // the exit code and the frames on disk decide.
  { re: /ERROR:|Error:|Error :|Eddy\[ERROR\]/, retryable: true, fatal: false }, // DL, DC-nuke
  { re: /Worker process failed|Node execution error:/, retryable: true, fatal: false }, // CG nuke.py
];

export function createNukeParser(chunk: RenderChunk): OutputParser {
  let written: string[] = [];
  return {
    parse(line: string): ParsedEvent[] {
      const licence = licenceError(line);
      if (licence) return [licence];

      // `Writing test/test.exr took 0.21 seconds` comes before its `Frame 1 (1 of 1)`.
      const writing = /Writing (.+) took [0-9.]+ seconds/.exec(line)?.[1];
      if (writing) {
        written.push(writing);
        return [];
      }

      const done = /Frame (-?\d+) \((\d+) of (\d+)\)/.exec(line);
      if (done?.[1]) {
        const frame = Number(done[1]);
        const events: ParsedEvent[] = written.map((file) => ({ type: 'frame-saved', frame, path: file }));
        written = [];
        events.push({ type: 'progress', frame, fraction: 1 });
        const next = chunk.frames[chunk.frames.indexOf(frame) + 1];
        if (chunk.frames.includes(frame) && next !== undefined) events.push({ type: 'frame-start', frame: next });
        return events;
      }

      const error = matchErrorRules(line, NUKE_ERRORS);
      if (error) return [error];
      return [];
    },
  };
}

export const nukeAdapter: RegisteredAdapter = {
  id: 'nuke',
  label: 'Foundry Nuke',
  extensions: ['.nk'],
  executables: ['nuke', 'Nuke'],
  letter: 'N',
  overrides: ['layer'],
  detect: {
    product: 'Nuke',
    paths: {
      win32: ['{ProgramFiles}/Nuke*/Nuke*.exe'], // DL Nuke.param
      darwin: ['/Applications/Nuke*/Nuke*.app/Contents/MacOS/Nuke*'], // DL Nuke.param
      linux: ['/usr/local/Nuke*/Nuke*'], // DL Nuke.param
    },
    // No verified version flag; the folder is Nuke15.1v2 [DL Nuke.param].
    pathVersion: /nuke(\d+\.\d+(?:v\d+)?)/i,
  },
  chunkShape: 'arithmetic',

  validate({ output }) {
    // Nuke has no command-line switch for a Write node's file; a different path here would only
    // make every frame look missing.
    if (output !== null) return "Nuke writes where its Write node points: leave output empty and name the Write node in layer";
    return null;
  },

  buildCommand(chunk: RenderChunk, executable: string): Command {
    if (!chunk.scene) throw new Error('Nuke needs a .nk script');
    const args = ['-x', '-F', nukeFrameRange(chunk.frames)];
    if (chunk.overrides.layer) args.push('-X', chunk.overrides.layer);
    // --cont: a bad frame does not stop the rest; -f: full resolution even if the script was saved in proxy mode.
    args.push('--cont', '-f');
    const threads = threadsFor(chunk.device, chunk.overrides);
    if (chunk.device.kind === 'gpu') args.push('--gpu', String(chunk.device.index)); // DL: Nuke 8+ takes the index
    else if (threads) args.push('-m', String(threads));
    args.push(chunk.scene);
    const merged = childEnv(gpuEnv(chunk.device, false), chunk.overrides);
    return merged ? { file: executable, args, env: merged } : { file: executable, args };
  },

  // Unknown ahead: the Write node decides; the parser reports the files Nuke says it wrote.
  expectedOutput: () => null,
  createParser: createNukeParser,
};

