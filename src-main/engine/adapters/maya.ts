/**
 * Autodesk Maya through its command-line renderer, `Render` [MD].
 * Maya cannot run here: the command lines and output lines below come from Autodesk's help, the
 * Deadline and Deadline Cloud plug-ins and CGRU (sources in maya.test.ts).
 */
import path from 'node:path';
import type { JobOverrides } from '../types';
import type { RegisteredAdapter, Command, OutputParser, ParsedEvent, RenderChunk } from './adapter';
import {
  arithmeticRun,
  arnoldPercent,
  arnoldWrittenFile,
  childEnv,
  frameOfFile,
  gpuEnv,
  licenceError,
  matchErrorRules,
  mayaProgressPercent,
  redshiftBlockFraction,
  redshiftSavedFile,
  outputPieces,
  threadsFor,
  vraySavedFile,
  type ErrorRule,
  expectedIfAccepted,
} from './common-patterns';

export const MAYA_RENDERERS = ['arnold', 'redshift', 'vray', 'sw', 'file'] as const;
export type MayaRenderer = (typeof MAYA_RENDERERS)[number];

/** `renderer` is not in JobOverrides yet; absent, Maya uses the renderer saved in the scene (`-r file`). */
export interface MayaOverrides extends JobOverrides {
  renderer?: MayaRenderer;
}

function rendererOf(overrides: JobOverrides): MayaRenderer {
  const wanted = (overrides as MayaOverrides).renderer;
  return wanted && (MAYA_RENDERERS as readonly string[]).includes(wanted) ? wanted : 'file';
}

interface MayaOutput {
  dir: string;
  name: string;
  pad: number;
  ext: string;
}

/**
 * Maya builds file names from -rd/-im/-pad/-of and a frame-name convention; `-fnc 3` is
 * `name.#.ext` (a public script renders with `-fnc 3 -pad 3 -im X -of ext` and reads `X.%03d.ext`).
 * Only that shape is accepted, so the expected path is the path Maya writes.
 */
function mayaOutput(pattern: string): MayaOutput | null {
  const split = outputPieces(pattern);
  if (!split || !split.head.endsWith('.')) return null;
  const ext = /^\.([A-Za-z0-9]+)$/.exec(split.tail)?.[1];
  const name = split.head.slice(0, -1);
  if (!ext || !name) return null;
  return { dir: split.dir, name, pad: split.width, ext };
}

/** Maya resolves relative texture and cache paths against the project: the folder holding `scenes/`. */
function projectOf(scene: string): string | null {
  const parts = path.resolve(scene).split(path.sep);
  const at = parts.lastIndexOf('scenes');
  return at > 0 ? parts.slice(0, at).join(path.sep) || path.sep : null;
}

function deviceArgs(renderer: MayaRenderer, chunk: RenderChunk): string[] {
  const threads = threadsFor(chunk.device, chunk.overrides);
  const { device } = chunk;
  switch (renderer) {
    case 'arnold':
      // -ai:threads is used in public Render command lines; the GPU/CPU choice stays the scene's.
      return threads ? ['-ai:threads', String(threads)] : [];
    case 'redshift':
      // DL MayaCmd.py: `-gpu {0,1}` as one argument.
      return device.kind === 'gpu' ? ['-gpu', `{${device.index}}`] : [];
    case 'vray':
      return threads ? ['-threads', String(threads)] : []; // DL MayaCmd.py
    case 'sw':
      return threads ? ['-n', String(threads)] : []; // DL MayaCmd.py (-n: processors)
    case 'file':
      return [];
  }
}

const MAYA_ERRORS: readonly ErrorRule[] = [
  { re: /contains legacy render layers.*uses render setup/i, retryable: false, fatal: true }, // DC-maya
  { re: /No devices found\. Aborting rendering/, retryable: false, fatal: true }, // CG redshift
  { re: /Frame rendering aborted/, retryable: true, fatal: true }, // CG maya, DL
  { re: /Rendering was internally aborted/, retryable: true, fatal: true }, // CG redshift
  { re: /an illegal memory access was encountered/, retryable: true, fatal: true }, // CG redshift
  { re: /\[mtoa\] Failed batch render/, retryable: true, fatal: true }, // CG
  { re: /render aborted due to earlier errors/, retryable: true, fatal: true }, // AU
  { re: /Fatal Error/, retryable: true, fatal: true }, // CG maya
  { re: /\(kFailure\)/, retryable: true, fatal: false }, // CG: often a warning-grade load error
  { re: /Maya exited with status \d+/, retryable: true, fatal: false }, // CG
  { re: /^\s*\/\/\s*Error:|^Error:/, retryable: true, fatal: false },
];

export function createMayaParser(chunk: RenderChunk): OutputParser {
  let current: number | null = chunk.frames.length === 1 ? (chunk.frames[0] ?? null) : null;
  const expected = (frame: number): string | null => expectedOutput(chunk, frame);
  return {
    parse(line: string): ParsedEvent[] {
      const licence = licenceError(line);
      if (licence) return [licence];
      const error = matchErrorRules(line, MAYA_ERRORS);
      if (error) return [error];

      // Redshift `Rendering frame 12...`, V-Ray `Starting frame 12` [CG redshift, DL].
      const start = /(?:Rendering|Starting) frame (\d+)/.exec(line);
      if (start?.[1]) {
        const frame = Number(start[1]);
        if (chunk.frames.includes(frame)) {
          current = frame;
          return [{ type: 'frame-start', frame }];
        }
      }

      // Maya Software: `Finished Rendering /home/jason/.../untitled.iff.` (trailing period).
      const finished = /Finished Rendering (.+?)\.?\s*$/.exec(line)?.[1];
      const file = finished ?? arnoldWrittenFile(line) ?? redshiftSavedFile(line) ?? vraySavedFile(line);
      if (file) {
        const frame = frameOfFile(chunk, file, expected);
        if (frame === null) return [];
        current = frame;
        return [{ type: 'frame-saved', frame, path: file }];
      }

      const fraction = arnoldPercent(line) ?? mayaProgressPercent(line) ?? redshiftBlockFraction(line);
      return fraction === null ? [] : [{ type: 'progress', frame: current, fraction }];
    },
  };
}

function expectedOutput(chunk: RenderChunk, frame: number): string | null {
  return expectedIfAccepted(chunk, frame, mayaOutput);
}

export const mayaAdapter: RegisteredAdapter = {
  id: 'maya',
  label: 'Autodesk Maya',
  extensions: ['.mb', '.ma'],
  executables: ['Render'],
  letter: 'M',
  overrides: ['camera', 'layer', 'renderer'],
  renderers: MAYA_RENDERERS,
  detect: {
    product: 'Maya',
    paths: {
      win32: ['{ProgramFiles}/Autodesk/Maya*/bin/Render.exe'], // MP, DL
      darwin: ['/Applications/Autodesk/maya*/Maya.app/Contents/bin/Render'], // MP
      linux: ['/usr/autodesk/maya*/bin/Render'], // MP, DL MayaCmd.param
    },
    // No version flag of `Render` is documented [MD]; the folder is maya<year>.
    pathVersion: /maya(\d{4}(?:\.\d+)?)/i,
  },
  chunkShape: 'arithmetic',

  validate({ output, overrides }) {
    const renderer = (overrides as MayaOverrides).renderer;
    if (renderer !== undefined && !(MAYA_RENDERERS as readonly string[]).includes(renderer)) {
      return `unknown Maya renderer "${renderer}" (use ${MAYA_RENDERERS.join(', ')})`;
    }
    if (output !== null && !mayaOutput(output)) {
      return 'Maya output must look like /dir/name.####.ext (Maya writes name.<frame>.ext)';
    }
    return null;
  },

  buildCommand(chunk: RenderChunk, executable: string): Command {
    if (!chunk.scene) throw new Error('Maya needs a scene file');
    const renderer = rendererOf(chunk.overrides);
    const { start, end, step } = arithmeticRun(chunk.frames);
    const args = ['-r', renderer, '-s', String(start), '-e', String(end), '-b', String(step)];

    const out = chunk.output ? mayaOutput(chunk.output) : null;
    if (chunk.output && !out) throw new Error(`Maya cannot write to ${chunk.output}`);
    if (out) args.push('-rd', out.dir, '-im', out.name, '-fnc', '3', '-pad', String(out.pad), '-of', out.ext);
    if (chunk.overrides.layer) args.push('-rl', chunk.overrides.layer);
    if (chunk.overrides.camera) args.push('-cam', chunk.overrides.camera);
    const project = projectOf(chunk.scene);
    if (project) args.push('-proj', project);
    args.push(...deviceArgs(renderer, chunk), chunk.scene);

    // With its own -gpu flag Redshift must see every GPU; the others are confined to theirs.
    const env = gpuEnv(chunk.device, renderer !== 'redshift');
    const merged = childEnv(env, chunk.overrides);
    return merged ? { file: executable, args, env: merged } : { file: executable, args };
  },

  expectedOutput,
  createParser: createMayaParser,
};
