import path from 'node:path';
import { findExecutable } from '../find-executable';
import type { JobOverrides } from '../types';
import type { RegisteredAdapter, Command, OutputParser, ParsedEvent, RenderChunk } from './adapter';
import { createBlenderParser } from './blender';
import { coveringRun, expandPattern } from './output-pattern';
import { licenceError } from './common-patterns';

/**
 * The generic adapter: any program, given as a template such as
 * `mytool --in {scene} --frame {frame} --out {output}`. The template is split into words once,
 * the way a POSIX shell splits words but with no expansion at all, and the tokens are filled in
 * inside each word afterwards: a scene called `a b; rm -rf ~` stays one argument, never a command.
 */

export const TEMPLATE_TOKENS = ['scene', 'frame', 'start', 'end', 'step', 'output', 'threads'] as const;
type Token = (typeof TEMPLATE_TOKENS)[number];

const TOKEN = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export type SplitResult = { ok: true; words: string[] } | { ok: false; error: string };

/**
 * Shell-style word splitting without expansion: blanks separate words; `'…'` is literal; in
 * `"…"` a backslash escapes only `$`, `` ` ``, `"`, `\` and a newline (POSIX 2.2.3); outside quotes
 * a backslash escapes any character and backslash-newline joins lines. `''` is an empty word.
 * `$`, `*`, `~`, `#` and friends are ordinary characters: nothing is expanded or commented out.
 */
export function splitTemplate(template: string): SplitResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  const s = template;
  let i = 0;
  const col = (at: number): number => at + 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= s.length) return { ok: false, error: `a backslash at the end of the template (column ${col(i)}) escapes nothing` };
      if (s[i + 1] === '\n') {
        i += 2;
        continue;
      }
      word += s[i + 1];
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const close = s.indexOf("'", i + 1);
      if (close < 0) return { ok: false, error: `unbalanced single quote at column ${col(i)}` };
      word += s.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      const open = i;
      i++;
      let closed = false;
      while (i < s.length) {
        const d = s[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < s.length && '$`"\\\n'.includes(s[i + 1]!)) {
          if (s[i + 1] !== '\n') word += s[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      if (!closed) return { ok: false, error: `unbalanced double quote at column ${col(open)}` };
      inWord = true;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}

/** A word quoted so that splitTemplate gives it back unchanged (for showing argv as one line). */
export function quoteWord(word: string): string {
  if (/^[A-Za-z0-9_\-.,/:=@%+{}]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function tokensOf(words: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const w of words) for (const m of w.matchAll(TOKEN)) found.add(m[1]!);
  return found;
}

function usesToken(overrides: JobOverrides, name: Token): boolean {
  const split = splitTemplate(overrides.template ?? '');
  return split.ok ? tokensOf(split.words).has(name) : (overrides.template ?? '').includes(`{${name}}`);
}

/** The template's first word is the program; the engine looks it up on its own PATH like a shell would. */
function executableFromJob(overrides: JobOverrides): string | null {
  const split = splitTemplate(overrides.template ?? '');
  return split.ok ? (split.words[0] ?? null) : null;
}

function perFrame(overrides: JobOverrides): boolean {
  return usesToken(overrides, 'frame');
}

function validate(input: { scene: string | null; output: string | null; overrides: JobOverrides }): string | null {
  const template = input.overrides.template ?? '';
  if (template.trim() === '') return 'the command template is empty (e.g. mytool --in {scene} --frame {frame} --out {output})';
  const split = splitTemplate(template);
  if (!split.ok) return split.error;
  if (split.words.length === 0) return 'the command template is empty';
  const tokens = tokensOf(split.words);
  const known = new Set<string>(TEMPLATE_TOKENS);
  const unknown = [...tokens].filter((t) => !known.has(t));
  if (unknown.length > 0) {
    return `unknown token ${unknown.map((t) => `{${t}}`).join(', ')} in the template (known: ${TEMPLATE_TOKENS.map((t) => `{${t}}`).join(' ')})`;
  }
  if (tokens.has('frame') && (tokens.has('start') || tokens.has('end'))) {
    return 'the template uses {frame} together with {start}/{end}: use {frame} to run once per frame, or {start} {end} {step} to run once per chunk';
  }
  if (tokens.has('output') && !input.output) return 'the template uses {output} but the job has no output pattern';
  if (tokens.has('scene') && !input.scene) return 'the template uses {scene} but the job has no scene file';
  return null;
}

function values(chunk: RenderChunk, perFrameRun: boolean): Record<Token, string> {
  const run = coveringRun(chunk.frames);
  const frame = chunk.frames[0]!;
  const threads =
    chunk.device.kind === 'cpu' ? chunk.device.threads : chunk.overrides.threads !== undefined ? chunk.overrides.threads : 0;
  return {
    scene: chunk.scene ?? '',
    frame: String(frame),
    start: String(run.start),
    end: String(run.end),
    step: String(run.step),
    // A chunk run gets the pattern itself: the tool expands `#` for each frame it writes.
    output: chunk.output ? (perFrameRun ? expandPattern(chunk.output, frame) : chunk.output) : '',
    threads: String(threads),
  };
}

/** Fills tokens in already-split words; a value is never split or interpreted again. */
export function fillTemplate(template: string, chunk: RenderChunk): string[] {
  const split = splitTemplate(template);
  if (!split.ok) throw new Error(`command template: ${split.error}`);
  if (split.words.length === 0) throw new Error('command template is empty');
  const v = values(chunk, tokensOf(split.words).has('frame'));
  return split.words.map((w) => w.replace(TOKEN, (m, name: string) => (name in v ? v[name as Token] : m)));
}

function buildCommand(chunk: RenderChunk, executable: string): Command {
  const argv = fillTemplate(chunk.overrides.template ?? '', chunk);
  // The template names its program; an explicit executable setting for the job replaces that word.
  // A bare name is resolved on Spool's own PATH here: left to spawn, it would be looked up on the
  // PATH the job's env sets, and a batch file's `env: {PATH: …}` would choose the program.
  const program = argv[0]!;
  const file = chunk.overrides.executable && executable ? executable : (findExecutable(program) ?? program);
  const env: Record<string, string> = {};
  if (chunk.device.kind === 'gpu') {
    env.CUDA_DEVICE_ORDER = 'PCI_BUS_ID';
    env.CUDA_VISIBLE_DEVICES = String(chunk.device.index);
  }
  const command: Command = { file, args: argv.slice(1) };
  if (Object.keys(env).length > 0) command.env = env;
  if (chunk.scene) command.cwd = path.dirname(chunk.scene);
  return command;
}

function expectedOutput(chunk: RenderChunk, frame: number): string | null {
  if (!chunk.output || !usesToken(chunk.overrides, 'output')) return null;
  return expandPattern(chunk.output, frame);
}

const PERCENT = /(\d+(?:\.\d+)?)\s*%/g;
/** Error-looking lines are kept as the likely reason, but only the exit code fails the run: tools print "0 errors". */
const ERROR_START = /^\s*(?:\[[^\]]*\]\s*)?(?:fatal\s+)?error\b/i;
const ERROR_ANYWHERE = /Error:|\bERROR\b/;

export function createCommandParser(chunk: RenderChunk): OutputParser {
  const single = chunk.frames.length === 1 ? chunk.frames[0]! : null;
  const blender = createBlenderParser();
  let current: number | null = single;
  let announced = false;
  return {
    parse(line: string): ParsedEvent[] {
      const events: ParsedEvent[] = [];
      if (single !== null && !announced) {
        announced = true;
        events.push({ type: 'frame-start', frame: single });
      }
      if (/^(?:Fra:\d|Saved: '| Time: \d)/.test(line)) {
        for (const e of blender.parse(line)) {
          if (e.type === 'frame-start') {
            current = e.frame;
            if (e.frame === single) continue;
          }
          if ((e.type === 'frame-saved' || e.type === 'frame-time') && e.frame === null) events.push({ ...e, frame: current });
          else events.push(e);
        }
        return events;
      }
      let last: RegExpExecArray | null = null;
      // The regex scans every digit run of every line; most lines have no % at all.
      if (line.includes('%')) for (let m = PERCENT.exec(line); m; m = PERCENT.exec(line)) last = m;
      if (last) {
        const value = Number(last[1]);
        if (value >= 0 && value <= 100) events.push({ type: 'progress', frame: current, fraction: value / 100 });
      }
      // A template often wraps a real renderer: its licence failures must not be retried either.
      const licence = licenceError(line);
      if (licence) events.push(licence);
      else if (ERROR_START.test(line) || ERROR_ANYWHERE.test(line)) events.push({ type: 'error', message: line.trim(), retryable: true, fatal: false });
      return events;
    },
  };
}

export const commandAdapter: RegisteredAdapter = {
  id: 'command',
  label: 'Command template',
  extensions: [],
  executables: [],
  letter: '$',
  overrides: ['template'],
  tokens: TEMPLATE_TOKENS,
  sceneOptional: true,
  reportsSavedFrames: false,
  chunkShape: 'arithmetic',
  perFrame,
  executableFromJob,
  validate,
  buildCommand,
  expectedOutput,
  createParser: (chunk) => createCommandParser(chunk),
};
