import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import type { JobErrorMapper } from '../commands';
import { InputError } from '../errors';
import type { SubmitInput } from '../job-input';
import { durationSeconds } from '../steps/step-input';
import { BatchFileSchema, type BatchDefaults, type BatchJob } from './schema';

/** Files `spool submit` reads as batch files rather than scenes. */
export const BATCH_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

export function isBatchFile(file: string): boolean {
  return BATCH_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** One problem in a batch file, where it is. */
export interface BatchIssue {
  /** The file as the user named it. */
  file: string;
  line: number;
  column: number;
  /** `jobs[3].priority`; empty for a syntax error. */
  field: string;
  message: string;
}

export function formatIssue(issue: BatchIssue): string {
  return `${issue.file}:${issue.line}: ${issue.field ? `${issue.field}: ` : ''}${issue.message}`;
}

/** A batch file that cannot be queued: every line says `file:line: field: problem`. */
export class BatchFileError extends InputError {
  constructor(readonly issues: readonly BatchIssue[]) {
    super('input', issues.map(formatIssue).join('\n'));
    this.name = 'BatchFileError';
  }
}

export interface ParsedBatch {
  /** The file as named in messages. */
  display: string;
  /** Relative scene and output paths start here: the file's own folder. */
  dir: string;
  /** One submission per job, defaults applied, in file order. */
  inputs: SubmitInput[];
  /** Turns a refusal of job `index`'s field (from prepareJobs) into a BatchFileError with its line. */
  mapError: JobErrorMapper;
}

export interface ParseBatchOptions {
  /** How messages name the file (what the user typed). */
  display: string;
  /** The file's folder. */
  dir: string;
  /** Strict JSON syntax (a .json file); YAML otherwise. */
  json?: boolean;
  /** Beneath the file's defaults: CLI flags, a watch folder's defaults. */
  base?: SubmitInput;
}

export function readBatchFile(file: string, options: { display?: string; base?: SubmitInput } = {}): ParsedBatch {
  const display = options.display ?? file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError('input', code === 'ENOENT' ? `batch file not found: ${display}` : `cannot read ${display} (${code ?? 'error'})`);
  }
  return parseBatch(text, {
    display,
    dir: path.dirname(path.resolve(file)),
    json: path.extname(file).toLowerCase() === '.json',
    base: options.base,
  });
}

/**
 * Reads a batch file with line positions (yaml's parseDocument + LineCounter; JSON is YAML too),
 * validates it against the schema, and maps every problem back to its line.
 */
export function parseBatch(text: string, options: ParseBatchOptions): ParsedBatch {
  const { display } = options;
  const lines = new LineCounter();
  const at = (offset: number, field: string, message: string): BatchIssue => {
    const pos = lines.linePos(offset);
    return { file: display, line: pos.line, column: pos.col, field, message };
  };

  if (options.json) {
    try {
      JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const position = /at position (\d+)/.exec(message);
      parseDocument(text, { lineCounter: lines });
      const offset = position ? Number(position[1]) : text.length;
      throw new BatchFileError([at(offset, '', `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`)]);
    }
  }
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new BatchFileError(
      doc.errors.slice(0, 10).map((e) => at(e.pos[0], '', e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''))),
    );
  }
  keepVersionsAsWritten(doc);
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (data === null || data === undefined) throw new BatchFileError([at(0, '', 'the file is empty: it needs a `jobs:` list')]);

  const nodeLine = (segments: readonly (string | number)[], key?: string): number => {
    let node: unknown = doc.contents;
    let offset = 0;
    for (const seg of [...segments, ...(key !== undefined ? [key] : [])]) {
      const range = (node as { range?: [number, number, number] } | null)?.range;
      if (range) offset = range[0];
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return offset;
        if (seg === key) return (pair.key as { range?: [number, number, number] }).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
      } else {
        return offset;
      }
    }
    return (node as { range?: [number, number, number] } | null)?.range?.[0] ?? offset;
  };

  const parsed = BatchFileSchema.safeParse(data);
  if (!parsed.success) throw new BatchFileError(zodIssues(parsed.error, (segments, key) => at(nodeLine(segments, key), fieldText([...segments, ...(key ? [key] : [])]), '')));

  const file = parsed.data;
  const seen = new Map<string, number>();
  const dupes: BatchIssue[] = [];
  file.jobs.forEach((job, i) => {
    const first = seen.get(job.name);
    if (first === undefined) seen.set(job.name, i);
    else {
      const firstLine = lines.linePos(nodeLine(['jobs', first, 'name'])).line;
      dupes.push(at(nodeLine(['jobs', i, 'name']), `jobs[${i}].name`, `"${job.name}" is already the name of jobs[${first}] (line ${firstLine}); names are unique in a file`));
    }
  });
  if (dupes.length > 0) throw new BatchFileError(dupes);

  const defaults = file.defaults ? toSubmitInput(file.defaults) : {};
  const inputs = file.jobs.map((job) => withCommandDcc(mergeInputs(mergeInputs(options.base ?? {}, defaults), toSubmitInput(job))));

  const has = (segments: readonly (string | number)[]): boolean => {
    let node: unknown = doc.contents;
    for (const seg of segments) {
      if (isMap(node)) node = node.get(seg, true);
      else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
      else return false;
      if (node === undefined) return false;
    }
    return true;
  };
  const mapError: JobErrorMapper = (index, field, message) => {
    const segments = field === 'input' ? [] : fieldSegments(field);
    const own = ['jobs', index, ...segments];
    const shown = fieldText(own);
    if (segments.length === 0 || has(own)) return new BatchFileError([at(nodeLine(own), shown, message)]);
    const fromDefaults = ['defaults', ...segments];
    if (has(fromDefaults)) return new BatchFileError([at(nodeLine(fromDefaults), `${shown} (from defaults)`, message)]);
    return new BatchFileError([at(nodeLine(['jobs', index]), shown, message)]);
  };
  return { display, dir: options.dir, inputs, mapError };
}

/** `version: 3.10` in YAML is the number 3.1: a DCC version is kept as it was written. */
function keepVersionsAsWritten(doc: Document): void {
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'version' && isScalar(pair.value) && typeof pair.value.value === 'number') {
        pair.value.value = pair.value.source ?? String(pair.value.value);
      }
    },
  });
}

/** The names the API uses for what a batch file calls otherwise. */
const FIELD_NAMES: Record<string, string> = { stallTimeoutSec: 'stall_timeout', taskTimeoutSec: 'timeout' };

function fieldSegments(field: string): (string | number)[] {
  return field
    .replace(/^overrides\./, '')
    .split('.')
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : (FIELD_NAMES[seg] ?? seg)));
}

/** `['jobs', 3, 'priority']` → `jobs[3].priority`. */
export function fieldText(segments: readonly (string | number | symbol)[]): string {
  let text = '';
  for (const seg of segments) {
    if (typeof seg === 'number') text += `[${seg}]`;
    else text += text ? `.${String(seg)}` : String(seg);
  }
  return text;
}

function zodIssues(
  error: z.ZodError,
  locate: (segments: (string | number)[], key?: string) => BatchIssue,
): BatchIssue[] {
  const issues: BatchIssue[] = [];
  for (const issue of error.issues.slice(0, 20)) {
    const segments = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const where = locate(segments, key);
        issues.push({ ...where, message: `unknown field${suggest(key)}` });
      }
      continue;
    }
    const where = locate(segments);
    issues.push({ ...where, field: where.field || '(top level)', message: issue.message });
  }
  return issues.sort((a, b) => a.line - b.line);
}

const KNOWN = [
  'name', 'scene', 'dcc', 'version', 'frames', 'chunk', 'output', 'priority', 'retries', 'slots', 'device', 'timeout',
  'stall_timeout', 'camera', 'layer', 'samples', 'threads', 'format', 'template', 'executable', 'env', 'tags', 'farm', 'after',
  'steps', 'defaults', 'jobs', 'kind', 'fps', 'codec', 'movie', 'sheet', 'to', 'overwrite', 'run',
];

/** ` (did you mean "priority"?)` for a near miss. */
function suggest(key: string): string {
  let best: string | null = null;
  let bestDistance = 3;
  for (const known of KNOWN) {
    const d = distance(key.toLowerCase(), known);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best && best !== key ? ` (did you mean "${best}"?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** A batch entry (or defaults) as a submission, in the API's words. */
export function toSubmitInput(entry: BatchDefaults | BatchJob): SubmitInput {
  const overrides: NonNullable<SubmitInput['overrides']> = {};
  if (entry.camera !== undefined) overrides.camera = entry.camera;
  if (entry.layer !== undefined) overrides.layer = entry.layer;
  if (entry.samples !== undefined) overrides.samples = entry.samples;
  if (entry.threads !== undefined) overrides.threads = entry.threads;
  if (entry.format !== undefined) overrides.format = entry.format.toUpperCase();
  if (entry.template !== undefined) overrides.template = entry.template;
  if (entry.executable !== undefined) overrides.executable = entry.executable;
  if (entry.env !== undefined) overrides.env = Object.fromEntries(Object.entries(entry.env).map(([k, v]) => [k, String(v)]));

  const input: SubmitInput = {};
  if ('name' in entry && entry.name !== undefined) input.name = entry.name;
  if (entry.scene !== undefined) input.scene = entry.scene;
  if (entry.dcc !== undefined) input.dcc = entry.dcc;
  if (entry.version !== undefined) input.version = entry.version;
  if (entry.frames !== undefined) input.frames = String(entry.frames);
  if (entry.chunk !== undefined) input.chunk = entry.chunk;
  if (entry.output !== undefined) input.output = entry.output;
  if (entry.priority !== undefined) input.priority = entry.priority;
  if (entry.retries !== undefined) input.retries = entry.retries;
  if (entry.slots !== undefined) input.slots = entry.slots;
  if (entry.device !== undefined) input.device = parseDevice(entry.device);
  if (entry.timeout !== undefined) input.taskTimeoutSec = durationSeconds(entry.timeout);
  if (entry.stall_timeout !== undefined) input.stallTimeoutSec = durationSeconds(entry.stall_timeout);
  if (entry.tags !== undefined) input.tags = typeof entry.tags === 'string' ? [entry.tags] : entry.tags;
  if (entry.steps !== undefined) input.steps = entry.steps;
  if (entry.farm !== undefined) input.farm = entry.farm;
  if ('after' in entry && entry.after !== undefined) input.after = Array.isArray(entry.after) ? entry.after : [entry.after];
  if (Object.keys(overrides).length > 0) input.overrides = overrides;
  return input;
}

export function parseDevice(text: string): SubmitInput['device'] {
  if (text === 'cpu' || text === 'any-gpu') return text;
  return { gpu: Number(text.slice('gpu:'.length)) };
}

/** `over` wins field by field; overrides and env merge, tags and `after` add up. */
export function mergeInputs(base: SubmitInput, over: SubmitInput): SubmitInput {
  const merged: SubmitInput = { ...base, ...over };
  if (base.overrides || over.overrides) {
    const env = { ...base.overrides?.env, ...over.overrides?.env };
    merged.overrides = { ...base.overrides, ...over.overrides };
    if (Object.keys(env).length > 0) merged.overrides.env = env;
  }
  if (base.tags || over.tags) merged.tags = [...new Set([...(base.tags ?? []), ...(over.tags ?? [])])];
  if (base.after || over.after) merged.after = [...(base.after ?? []), ...(over.after ?? [])];
  return merged;
}

/** A template without a DCC means the generic command adapter, as on the CLI. */
function withCommandDcc(input: SubmitInput): SubmitInput {
  return input.dcc === undefined && input.overrides?.template !== undefined ? { ...input, dcc: 'command' } : input;
}
