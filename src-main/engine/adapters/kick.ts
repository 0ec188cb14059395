/**
 * Arnold's standalone renderer, kick: one .ass file per frame, so one frame per process
 * [CGJ, DL Arnold.py, AK]. Arnold cannot run here; sources are in kick.test.ts.
 */
import type { RegisteredAdapter, Command, OutputParser, ParsedEvent, RenderChunk } from './adapter';
import {
  arnoldPercent,
  arnoldWrittenFile,
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
import { expandPattern } from './output-pattern';

const KICK_ERRORS: readonly ErrorRule[] = [
  { re: /render aborted due to earlier errors/, retryable: true, fatal: true }, // AU
  { re: /no GPU matching requirements|device selection failed/, retryable: false, fatal: true }, // public kick wrapper falls back to CPU on these
  { re: /\bERROR\s*\|/, retryable: true, fatal: false }, // DL: `ERROR |` lines
];

function onlyFrame(chunk: RenderChunk): number {
  const [frame, ...rest] = chunk.frames;
  if (frame === undefined || rest.length > 0) throw new Error(`kick renders one .ass per process, got frames ${chunk.frames.join(',')}`);
  return frame;
}

export function createKickParser(chunk: RenderChunk): OutputParser {
  const frame = chunk.frames[0] ?? null;
  const expected = (f: number): string | null => expectedOutput(chunk, f);
  return {
    parse(line: string): ParsedEvent[] {
      const licence = licenceError(line);
      if (licence) return [licence];
      const error = matchErrorRules(line, KICK_ERRORS);
      if (error) return [error];
      const file = arnoldWrittenFile(line);
      if (file) {
        const f = frameOfFile(chunk, file, expected);
        return f === null ? [] : [{ type: 'frame-saved', frame: f, path: file }];
      }
      if (/\|\s*render done/.test(line)) return [{ type: 'progress', frame, fraction: 1 }]; // AU
      const fraction = arnoldPercent(line);
      return fraction === null ? [] : [{ type: 'progress', frame, fraction }];
    },
  };
}

function expectedOutput(chunk: RenderChunk, frame: number): string | null {
  return expectedIfAccepted(chunk, frame, outputPieces);
}

export const kickAdapter: RegisteredAdapter = {
  id: 'kick',
  label: 'Arnold kick (.ass)',
  extensions: ['.ass'],
  executables: ['kick'],
  letter: 'A',
  overrides: [],
  detect: {
    product: 'Arnold kick',
    paths: {
      win32: ['{ProgramFiles}/Autodesk/Arnold/maya*/bin/kick.exe'], // UNVERIFIED (MtoA default)
      darwin: ['/Applications/Autodesk/Arnold/mtoa/*/bin/kick'], // UNVERIFIED (MtoA default)
      linux: ['/opt/solidangle/mtoa/*/bin/kick', '/opt/autodesk/arnold/maya*/bin/kick'], // DL Arnold.param; second UNVERIFIED
    },
    // `kick` with no arguments prints a banner [AK], but that is not a version flag; MtoA folders
    // carry the Maya year, not Arnold's version, so only an Arnold SDK folder gives one.
    pathVersion: /arnold-(\d+\.\d+\.\d+(?:\.\d+)?)/i,
  },
  chunkShape: 'any',
  perFrame: () => true,

  validate({ scene, output }) {
    if (!scene || !outputPieces(scene)) return 'kick needs one .ass per frame: give the scene as a pattern, e.g. /dir/shot.####.ass';
    if (output !== null && !outputPieces(output)) return 'kick output needs # for the frame number, e.g. /dir/beauty.####.exr';
    return null;
  },

  buildCommand(chunk: RenderChunk, executable: string): Command {
    if (!chunk.scene) throw new Error('kick needs an .ass file pattern');
    const frame = onlyFrame(chunk);
    const args = ['-i', expandPattern(chunk.scene, frame)];
    if (chunk.output) args.push('-o', expandPattern(chunk.output, frame));
    // -dw: no window, -dp: no progressive passes, -nstdin: kick can otherwise hang reading stdin [DL, CGJ].
    args.push('-dw', '-dp', '-nstdin', '-v', '2');
    const threads = threadsFor(chunk.device, chunk.overrides);
    if (threads) args.push('-t', String(threads));
    // A missing licence makes Arnold watermark and exit 0; make it fail instead [DL].
    args.push('-set', 'options.abort_on_license_fail', 'true');
    // The slot decides the device, not the .ass: a GPU scene on a CPU slot would take a GPU nobody booked.
    args.push('-set', 'options.render_device', chunk.device.kind === 'gpu' ? 'GPU' : 'CPU');
    if (process.platform === 'win32') args.push('-nocrashpopup'); // DL Arnold.py: no crash dialog on Windows
    const merged = childEnv(gpuEnv(chunk.device, true), chunk.overrides);
    return merged ? { file: executable, args, env: merged } : { file: executable, args };
  },

  expectedOutput,
  createParser: createKickParser,
};
