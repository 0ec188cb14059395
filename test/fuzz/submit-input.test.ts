import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitJob } from '../../src-main/engine/commands';
import { InputError } from '../../src-main/engine/errors';
import { parseFrameSet } from '../../src-main/engine/frames';
import { SubmitInputSchema } from '../../src-main/engine/job-input';
import { Store } from '../../src-main/engine/store';
import { tempDir } from '../helpers/fake-dcc';

/**
 * Whatever a face sends as a job (JSON from the browser, IPC from the renderer, a batch file) ends
 * in a valid stored job or an InputError whose message names the field, never another exception
 * and never a half-written job: a refused submit leaves every table exactly as it was.
 */

const FIELDS = Object.keys(SubmitInputSchema.shape);
/** Each line of a refusal starts with the field it is about: a schema field (with its path inside), `template` or `input`. */
const FIELD_OF_MESSAGE = new RegExp(`^(${['input', 'template', ...FIELDS].join('|')})([.[][^\\n]*?)?: `);

let sandbox: string;
let store: Store;
const tried = { accepted: 0, refused: 0 };

beforeAll(() => {
  sandbox = tempDir('spool-fuzz-submit-');
  store = Store.open(path.join(sandbox, 'spool.db'));
  mkdirSync(path.join(sandbox, 'scenes'), { recursive: true });
  for (const name of ['shot.blend', 'shot.pov', 'shot.txt', 'shot.ma', 'shot.hip', 'shot.nk']) writeFileSync(path.join(sandbox, 'scenes', name), '');
});
afterAll(() => {
  store.close();
  console.log(`submit fuzz: ${tried.accepted} inputs accepted, ${tried.refused} refused`);
});

function tableCounts(): Record<string, number> {
  const tables = store.rawHandleForTests().prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (store.rawHandleForTests().prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/**
 * Path-like strings stay inside the sandbox: submit creates output folders, and a fuzzer must not
 * create folders all over the machine. Everything else about the string is kept.
 */
function contained(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const relative = value.replace(/^[/\\]+/, '').replace(/(^|[/\\])\.\.(?=[/\\]|$)/g, '$1__');
  return path.isAbsolute(value) ? path.join(sandbox, relative) : relative;
}

/** Frame sets of more than a few thousand frames are valid but only slow the fuzzer down. */
function small(input: unknown): boolean {
  const frames = (input as { frames?: unknown } | null)?.frames;
  if (typeof frames !== 'string') return true;
  const parsed = parseFrameSet(frames);
  return !parsed.ok || parsed.frames.length <= 5000;
}

const valid = () => ({
  dcc: 'command',
  scene: 'scenes/shot.txt',
  frames: '1-10',
  chunk: 5,
  output: 'out/f_####.png',
  name: 'fuzz',
  priority: 3,
  retries: 1,
  slots: 1,
  stallTimeoutSec: 60,
  taskTimeoutSec: 3600,
  device: 'cpu',
  overrides: { template: 'render --in {scene} --start {start} --end {end} --out {output}', threads: 2, env: { A: '1' } },
});

/**
 * Submits and checks the one promise: a job that reads back whole, or an InputError naming a
 * field with the store untouched. Returns the error's field for the caller's own checks.
 */
async function submitAndCheck(input: unknown): Promise<{ field: string; message: string } | null> {
  const before = tableCounts();
  let job;
  try {
    job = await submitJob(store, input, { cwd: sandbox });
  } catch (error) {
    if (!(error instanceof InputError)) {
      throw new Error(`not an InputError for ${safeJson(input)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    expect(tableCounts(), `a refused submit changed the store: ${safeJson(input)}`).toEqual(before);
    const lines = error.message.split('\n');
    for (const line of lines) expect(line, `message does not name a field: ${safeJson(input)}`).toMatch(FIELD_OF_MESSAGE);
    tried.refused++;
    return { field: error.field, message: error.message };
  }
  tried.accepted++;
  const after = tableCounts();
  expect(after.jobs).toBe(before.jobs! + 1);
  expect(after.frames).toBe(before.frames! + job.frameCount);
  const stored = store.jobs.get(job.id)!;
  expect(stored.frameCount).toBeGreaterThan(0);
  expect(store.work.framesOf(job.id).map((f) => f.frame)).toHaveLength(stored.frameCount);
  expect(new Set(store.work.framesOf(job.id).map((f) => f.frame)).size).toBe(stored.frameCount);
  expect(stored.name.trim()).not.toBe('');
  expect(stored.priority).toBeGreaterThanOrEqual(-1000);
  expect(stored.priority).toBeLessThanOrEqual(1000);
  expect(store.summaries.summarize(stored).status).toMatch(/^(queued|blocked|waiting)$/);
  return null;
}

function safeJson(value: unknown): string {
  return fc.stringify(value).slice(0, 500);
}

const anyJson = fc.jsonValue({ maxDepth: 3 }).map(contained);

describe('job specs through the contract (zod) and prepareJob', () => {
  it('arbitrary JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (input) => {
        fc.pre(small(input));
        await submitAndCheck(input);
      }),
      { numRuns: 1500 },
    );
  });

  it('arbitrary values of any JS type (what IPC and structured clone can carry)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything({ maxDepth: 3, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withDate: true, withNullPrototype: true, withSparseArray: true, withBigInt: true }), async (input) => {
        fc.pre(small(input));
        await submitAndCheck(input);
      }),
      { numRuns: 1000 },
    );
  });

  it('objects made of the schema\'s own fields with arbitrary values', async () => {
    const fields = Object.fromEntries(FIELDS.map((f) => [f, anyJson]));
    await fc.assert(
      fc.asyncProperty(fc.record(fields, { requiredKeys: [] }), async (input) => {
        fc.pre(small(input));
        await submitAndCheck(input);
      }),
      { numRuns: 2000 },
    );
  });

  it('valid specs with one to three fields mutated: refusals name the mutated field or the one it broke', async () => {
    // A field's change may surface as another field's error: a dcc that needs a scene, a template that needs {output}…
    const ALSO = new Map(Object.entries({
      // Another DCC judges the whole job anew: any field may be the one it refuses.
      dcc: [...FIELDS, 'template', 'input'],
      scene: ['dcc', 'template'],
      output: ['template'],
      overrides: ['template', 'input'],
      version: ['dcc'],
    }));
    // Near-valid values find the checks past the schema (frame sets, adapters, folders, bounds).
    const plausible: Record<string, fc.Arbitrary<unknown>> = {
      dcc: fc.constantFrom('command', 'blender', 'povray', 'maya', 'nuke', 'nope', '', 'Command'),
      scene: fc.constantFrom('scenes/shot.blend', 'scenes/shot.txt', 'scenes/shot.pov', 'scenes/missing.blend', 'scenes', null, path.join(sandbox, 'scenes', 'shot.nk')),
      frames: fc.oneof(
        fc.stringMatching(/^-?\d{1,4}(-\d{1,4}(x-?\d{1,2})?)?(,-?\d{1,4}(-\d{1,4})?){0,3}$/),
        fc.constantFrom('', ' ', '1-', '-', 'x', '1-10x0', '5-1', '1,,2', '0', '-5--1', '1 - 10', '1-1000000', '１-３'),
      ),
      chunk: fc.oneof(fc.integer({ min: -2, max: 100_002 }), fc.constantFrom('auto', 'Auto', 1.5, '5')),
      output: fc.constantFrom('out/a_####.png', 'out/b.png', 'out/#/x_##.exr', 'out/', 'shots/sh 010/f_####.png', path.join(sandbox, 'abs', 'f_####.jpg'), '', '####'),
      name: fc.string({ maxLength: 210 }),
      priority: fc.integer({ min: -1100, max: 1100 }),
      retries: fc.integer({ min: -2, max: 110 }),
      slots: fc.option(fc.integer({ min: -1, max: 300 })),
      stallTimeoutSec: fc.option(fc.integer({ min: -1, max: 8 * 24 * 3600 })),
      taskTimeoutSec: fc.option(fc.integer({ min: -1, max: 31 * 24 * 3600 })),
      device: fc.constantFrom('cpu', 'any-gpu', { gpu: 0 }, { gpu: 63 }, { gpu: 64 }, { gpu: -1 }, 'gpu', { gpu: 0, x: 1 }),
    };
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom(...FIELDS), value: anyJson }),
      fc.constantFrom(...Object.keys(plausible)).chain((key) => fc.record({ kind: fc.constant('set' as const), key: fc.constant(key), value: plausible[key]! })),
      fc.constantFrom(...Object.keys(plausible)).chain((key) => fc.record({ kind: fc.constant('set' as const), key: fc.constant(key), value: plausible[key]! })),
      fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...FIELDS) }),
      fc.record({ kind: fc.constant('unknown' as const), key: fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !FIELDS.includes(k)), value: anyJson }),
      fc.record({
        kind: fc.constant('override' as const),
        key: fc.constantFrom('template', 'threads', 'samples', 'env', 'executable', 'format', 'camera', 'layer', 'nope'),
        value: anyJson,
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const input: Record<string, unknown> = valid();
        const touched = new Set<string>();
        for (const m of mutations) {
          if (m.kind === 'set' || m.kind === 'unknown') setOwn(input, m.key, m.value);
          else if (m.kind === 'delete') delete input[m.key];
          else {
            const o = input.overrides;
            if (typeof o !== 'object' || o === null || Array.isArray(o)) input.overrides = {};
            (input.overrides as Record<string, unknown>)[m.key] = m.value;
          }
          touched.add(m.kind === 'override' ? 'overrides' : m.key);
          if (m.kind === 'override') touched.add(m.key);
        }
        fc.pre(small(input));
        const refused = await submitAndCheck(input);
        if (!refused) return;
        const named = [...touched].flatMap((k) => [k, ...(ALSO.get(k) ?? [])]);
        const mentions = named.some((k) => refused.message.includes(k));
        expect(mentions, `${refused.message}\n  after mutating ${[...touched].join(', ')}: ${safeJson(input)}`).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

/**
 * A key as JSON.parse makes it (both transports parse JSON or clone it): an own property even when
 * it is named "__proto__", where plain assignment would swap the object's prototype instead.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
