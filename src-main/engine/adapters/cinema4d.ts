/**
 * Maxon Cinema 4D through its `Commandline` renderer [CGJ, DL Cinema4D.py, DC-cinema-4d].
 * Cinema 4D cannot run here; sources of every flag and line are in cinema4d.test.ts.
 */
import type { RegisteredAdapter, Command, OutputParser, ParsedEvent, RenderChunk } from './adapter';
import {
  arithmeticRun,
  childEnv,
  gpuEnv,
  licenceError,
  matchErrorRules,
  redshiftBlockFraction,
  outputPieces,
  threadsFor,
  type ErrorRule,
  expectedIfAccepted,
} from './common-patterns';

/**
 * `-oimage` takes a prefix; Cinema 4D appends the frame number and the scene format's extension
 * itself (its default name scheme is Name0000.ext; UNVERIFIED on a real install). So only
 * `prefix####.ext` is accepted, and the extension must be the scene's format.
 */
function c4dPrefix(pattern: string): string | null {
  const split = outputPieces(pattern);
  if (!split || split.width !== 4 || !/^\.[A-Za-z0-9]+$/.test(split.tail)) return null;
  return split.prefix;
}

const C4D_ERRORS: readonly ErrorRule[] = [
  { re: /Document not found|Project not found/, retryable: false, fatal: true }, // DL
  { re: /Error loading (?:project|document)/, retryable: false, fatal: true }, // DL
  { re: /Asset missing/, retryable: false, fatal: true }, // DL
  { re: /The output resolution is too high for the selected render engine/, retryable: false, fatal: true }, // DL
  { re: /No devices found\. Aborting rendering/, retryable: false, fatal: true }, // CG redshift
  { re: /Error rendering (?:project|document)|Rendering failed/, retryable: true, fatal: true }, // CG c4d, DL
  { re: /Files cannot be written|Unable to write file/, retryable: true, fatal: true }, // CG c4d, DL
  { re: /Frame rendering aborted|Rendering was internally aborted/, retryable: true, fatal: true }, // DL (Redshift)
];

export function createCinema4dParser(chunk: RenderChunk): OutputParser {
  let current: number | null = null;
  const finish = (frame: number | null): ParsedEvent[] => {
    if (frame === null) return [];
    const file = expectedOutput(chunk, frame);
    return file ? [{ type: 'frame-saved', frame, path: file }] : [{ type: 'progress', frame, fraction: 1 }];
  };
  return {
    parse(line: string): ParsedEvent[] {
      const licence = licenceError(line);
      if (licence) return [licence];
      const error = matchErrorRules(line, C4D_ERRORS);
      if (error) return [error];

      // `Rendering frame 12 at ...` (DL, CG c4d); with Redshift `Rendering frame 12 (1/10)` (DL).
      const start = /Rendering frame (-?\d+) (?:at|\()/.exec(line);
      if (start?.[1]) {
        const frame = Number(start[1]);
        if (!chunk.frames.includes(frame) || frame === current) return [];
        // Cinema 4D reports no saved path; the next frame starting means the previous one was written.
        const events = finish(current);
        current = frame;
        events.push({ type: 'frame-start', frame });
        return events;
      }
      if (/Rendering successful/.test(line)) {
        const events = finish(current);
        current = null;
        return events;
      }

      const pct = /Progress: (\d+)%/.exec(line)?.[1];
      const fraction = pct !== undefined ? Math.min(Number(pct) / 100, 1) : redshiftBlockFraction(line);
      return fraction === null ? [] : [{ type: 'progress', frame: current, fraction }];
    },
  };
}

function expectedOutput(chunk: RenderChunk, frame: number): string | null {
  return expectedIfAccepted(chunk, frame, c4dPrefix);
}

export const cinema4dAdapter: RegisteredAdapter = {
  id: 'cinema4d',
  label: 'Maxon Cinema 4D',
  extensions: ['.c4d'],
  executables: ['Commandline'],
  letter: 'C',
  overrides: ['layer'],
  // Picked in the scene's render settings; Commandline has no renderer switch.
  renderers: ['standard', 'physical', 'redshift', 'vray', 'arnold'],
  detect: {
    product: 'Cinema 4D',
    paths: {
      win32: [
        '{ProgramFiles}/MAXON/CINEMA 4D */Commandline.exe', // DL Cinema4D.param
        '{ProgramFiles}/Maxon Cinema 4D */Commandline.exe', // DC-cinema-4d adaptor comment
      ],
      darwin: ['/Applications/Maxon Cinema 4D */Commandline.app/Contents/MacOS/Commandline'], // DL Cinema4D.param
      // DC-cinema-4d: Linux installs under /opt/maxon/cinema4dr2024.200/bin and need its env setup
      // first; the Commandline name in that folder is UNVERIFIED.
      linux: ['/opt/maxon/cinema4d*/bin/Commandline'],
    },
    pathVersion: /(?:cinema ?4d ?r?|cinema4dr?)(\d+(?:\.\d+)*)/i,
  },
  chunkShape: 'arithmetic',

  validate({ output }) {
    if (output !== null && !c4dPrefix(output)) {
      return 'Cinema 4D output must look like /dir/name####.ext (it appends a 4-digit frame number and the scene format\'s extension)';
    }
    return null;
  },

  buildCommand(chunk: RenderChunk, executable: string): Command {
    if (!chunk.scene) throw new Error('Cinema 4D needs a .c4d file');
    const { start, end, step } = arithmeticRun(chunk.frames);
    // -nogui: never a window on a render node; the step only when it is not 1, as Deadline does.
    const args = ['-nogui', '-render', chunk.scene, '-frame', String(start), String(end)];
    if (step !== 1) args.push(String(step));
    if (chunk.overrides.layer) args.push('-take', chunk.overrides.layer);
    const threads = threadsFor(chunk.device, chunk.overrides);
    if (threads) args.push('-threads', String(threads));
    if (chunk.device.kind === 'gpu') args.push('-redshift-gpu', String(chunk.device.index));
    if (chunk.output) {
      const prefix = c4dPrefix(chunk.output);
      if (!prefix) throw new Error(`Cinema 4D cannot write to ${chunk.output}`);
      args.push('-oimage', prefix);
    }
    const merged = childEnv(gpuEnv(chunk.device, false), chunk.overrides);
    return merged ? { file: executable, args, env: merged } : { file: executable, args };
  },

  expectedOutput,
  createParser: createCinema4dParser,
};
