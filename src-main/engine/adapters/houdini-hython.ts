/**
 * Houdini through hython: loads the .hip and renders one ROP, the way Deadline Cloud's Houdini
 * adaptor does (`node.render(frame_range=(S, E, B), verbose=True)`, DC-houdini houdini_handler.py).
 * Houdini cannot run here; lines and signatures are cited in houdini-hython.test.ts.
 */
import type { JobOverrides } from '../types';
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
import { huskOutput } from './houdini-husk';

/** `rop` is not in JobOverrides yet; until it is, the ROP path travels in `layer`. */
export interface HythonOverrides extends JobOverrides {
  rop?: string;
}

function ropOf(overrides: JobOverrides): string | null {
  return (overrides as HythonOverrides).rop?.trim() || overrides.layer?.trim() || null;
}

/**
 * The job's values reach Python as one JSON argument (sys.argv[1]), never as code, so a scene
 * path with quotes or a ROP name with backslashes cannot change what runs.
 * Signatures: hou.hipFile.load(file, suppress_save_prompt, ignore_load_warnings);
 * HOM RopNode.render(frame_range, res, output_file, ..., verbose, output_progress) (SideFX HDK).
 */
export const HYTHON_SCRIPT = [
  'import json, sys',
  'import hou',
  'job = json.loads(sys.argv[1])',
  'try:',
  '    hou.hipFile.load(job["scene"], suppress_save_prompt=True, ignore_load_warnings=True)',
  'except hou.LoadWarning as warning:',
  '    print("Spool: load warning: %s" % warning)',
  'rop = hou.node(job["rop"])',
  'if rop is None:',
  '    print("Spool: Error: no ROP node at %s" % job["rop"])',
  '    sys.exit(3)',
  'kwargs = {"frame_range": tuple(job["range"]), "verbose": True, "output_progress": True}',
  'if job.get("output"):',
  '    kwargs["output_file"] = job["output"]',
  'rop.render(**kwargs)',
  'print("Spool: Finished Rendering %s" % rop.path())',
].join('\n');

const HYTHON_ERRORS: readonly ErrorRule[] = [
  { re: /Spool: Error: no ROP node/, retryable: false, fatal: true },
  { re: /hou\.OperationFailed|hou\.InvalidInput/, retryable: true, fatal: true },
  { re: /Failed to create file/, retryable: true, fatal: true }, // CG mantra/karma
  { re: /Error loading geometry .* from stdin/, retryable: true, fatal: true }, // CG mantra
  { re: /RuntimeError: Error encountered when initializing Houdini/i, retryable: false, fatal: true }, // DC-houdini
  { re: /Error: |\[Error\]|Traceback \(most recent call last\)/i, retryable: true, fatal: false },
];

export function createHythonParser(chunk: RenderChunk): OutputParser {
  const expected = (frame: number): string | null => expectedOutput(chunk, frame);
  let current: number | null = chunk.frames[0] ?? null;
  return {
    parse(line: string): ParsedEvent[] {
      const licence = licenceError(line);
      if (licence) return [licence];
      const error = matchErrorRules(line, HYTHON_ERRORS);
      if (error) return [error];

      // Verbose ROP render: `21:17:04  rop_usdrender frame 5` (DC-houdini PR 141);
      // older builds print `RopNode.render: frame 5` (CG hbatch.py).
      const start = /(?:^\d\d:\d\d:\d\d\s+\S+|RopNode\.render:) frame (-?\d+(?:\.\d+)?)\s*$/.exec(line);
      if (start?.[1]) {
        const frame = Number(start[1]);
        if (Number.isInteger(frame) && chunk.frames.includes(frame)) {
          current = frame;
          return [{ type: 'frame-start', frame }];
        }
        return [];
      }

      // Mantra: `Generating Image: <path> (1920x1080)` (CG mantra.py); Karma: `Image: <path>` (CG karma.py).
      const image = /Generating Image: (.+) \(\d+x\d+\)/.exec(line)?.[1] ?? /\bImage:\s+(.+?)\s*$/.exec(line)?.[1];
      if (image) {
        const frame = frameOfFile(chunk, image, expected);
        return frame === null ? [] : [{ type: 'frame-saved', frame, path: image }];
      }

      const fraction = alfProgress(line);
      return fraction === null ? [] : [{ type: 'progress', frame: current, fraction }];
    },
  };
}

function expectedOutput(chunk: RenderChunk, frame: number): string | null {
  return expectedIfAccepted(chunk, frame, outputPieces);
}

export const hythonAdapter: RegisteredAdapter = {
  id: 'houdini-hython',
  label: 'Houdini (hython, ROP)',
  extensions: ['.hip', '.hiplc', '.hipnc'],
  executables: ['hython'],
  letter: 'H',
  overrides: ['layer', 'rop'],
  // Picked by the ROP a job renders (a Redshift or V-Ray ROP), not by a flag.
  renderers: ['mantra', 'karma', 'redshift', 'vray', 'arnold'],
  detect: {
    product: 'Houdini',
    role: 'hython',
    paths: {
      win32: ['{ProgramFiles}/Side Effects Software/Houdini */bin/hython.exe'], // DL Houdini.param
      darwin: ['/Applications/Houdini/Houdini*/Frameworks/Houdini.framework/Versions/Current/Resources/bin/hython'], // DL Houdini.param
      linux: ['/opt/hfs*/bin/hython'], // DL Houdini.param
    },
    // `hython --version` reports its Python, not Houdini (a public test script parses it as such).
    pathVersion: /(?:hfs|houdini ?)(\d+\.\d+(?:\.\d+)?)/i,
  },
  chunkShape: 'arithmetic',

  validate({ output, overrides }) {
    if (!ropOf(overrides)) return 'Houdini needs the ROP to render, e.g. /out/karma1 (in layer)';
    if (output !== null && !outputPieces(output)) return 'Houdini output needs # for the frame number, e.g. /dir/beauty.####.exr';
    return null;
  },

  buildCommand(chunk: RenderChunk, executable: string): Command {
    if (!chunk.scene) throw new Error('hython needs a .hip file');
    const rop = ropOf(chunk.overrides);
    if (!rop) throw new Error('hython needs a ROP path');
    const { start, end, step } = arithmeticRun(chunk.frames);
    const output = chunk.output ? huskOutput(chunk.output) : null; // Houdini expands $F4 the same way
    const job = { scene: chunk.scene, rop, range: [start, end, step], output };
    const args = ['-c', HYTHON_SCRIPT, JSON.stringify(job)];
    // The ROP's renderer picks its own device; on a GPU slot it may only see its GPU. On a CPU
    // slot HOUDINI_MAXTHREADS caps Houdini's thread pool (no hython flag for it was verified).
    const threads = threadsFor(chunk.device, chunk.overrides);
    const env = { ...gpuEnv(chunk.device, true), ...(threads ? { HOUDINI_MAXTHREADS: String(threads) } : {}) };
    const merged = childEnv(env, chunk.overrides);
    return merged ? { file: executable, args, env: merged } : { file: executable, args };
  },

  expectedOutput,
  createParser: createHythonParser,
};
