import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BatchFileError, parseBatch } from './load';
import { batchJsonSchema, BatchFileSchema } from './schema';

const SCHEMA_FILE = fileURLToPath(new URL('../../../schemas/batch.schema.json', import.meta.url));

/** ajv (draft 2020-12) validates the published file the way an editor would. */
function jsonSchemaValidator(schema: unknown): (data: unknown) => boolean {
  const require = createRequire(import.meta.url);
  const Ajv2020 = require('ajv/dist/2020') as { default: new (opts: object) => { compile(s: unknown): (d: unknown) => boolean } };
  return new Ajv2020.default({ strict: false, allErrors: true }).compile(schema);
}

const parse = (text: string, json = false) => parseBatch(text, { display: 'shots.yaml', dir: '/shots', json });
function problems(text: string, json = false): string {
  try {
    parse(text, json);
  } catch (error) {
    if (error instanceof BatchFileError) return error.message;
    throw error;
  }
  throw new Error('expected the batch file to be refused');
}

describe('the published batch JSON Schema', () => {
  it('is the one made from the zod schema (SPOOL_UPDATE_SCHEMA=1 rewrites it)', () => {
    const generated = `${JSON.stringify(batchJsonSchema(), null, 2)}\n`;
    if (process.env.SPOOL_UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, generated);
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated);
  });

  it('accepts the example batch file in examples/', () => {
    const text = readFileSync(fileURLToPath(new URL('../../../examples/shots.batch.yaml', import.meta.url)), 'utf8');
    const batch = parse(text);
    expect(batch.inputs.map((i) => i.name)).toEqual(['lighting_sh010', 'lighting_sh020', 'comp_sh010']);
    expect(batch.inputs[2]).toMatchObject({ after: ['lighting_sh010'], frames: '1001-1100', stallTimeoutSec: 600, device: 'any-gpu' });
  });

  it('agrees with zod on valid and invalid samples', () => {
    const validate = jsonSchemaValidator(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
    const samples: [unknown, boolean][] = [
      [{ jobs: [{ name: 'a', scene: 'a.blend' }] }, true],
      [{ $schema: '../schemas/batch.schema.json', defaults: { frames: '1-10', chunk: 'auto', device: 'gpu:1' }, jobs: [{ name: 'a' }] }, true],
      [{ jobs: [{ name: 'a', frames: 12, timeout: '1h30m', stall_timeout: 90, env: { A: 1, B: true, C: 'x' }, tags: 'hero' }] }, true],
      [{ jobs: [{ name: 'b', after: ['a', 3], steps: [{ kind: 'preview', fps: 25, codec: 'prores' }, { kind: 'copy', to: '/d' }, { kind: 'command', run: 'x {job}' }] }] }, true],
      [{ jobs: [{ name: 'b', after: 'a', version: '3.4' }] }, true],
      [{ jobs: [] }, false],
      [{ jobs: [{ scene: 'a.blend' }] }, false],
      [{ jobs: [{ name: 'a', priority: 'high' }] }, false],
      [{ jobs: [{ name: 'a', priority: 1.5 }] }, false],
      [{ jobs: [{ name: 'a', priority: 5000 }] }, false],
      [{ jobs: [{ name: 'a', prioity: 5 }] }, false],
      [{ jobs: [{ name: 'a', device: 'gpu' }] }, false],
      [{ jobs: [{ name: 'a', chunk: 'some' }] }, false],
      [{ jobs: [{ name: 'a', timeout: '5 minutes' }] }, false],
      [{ jobs: [{ name: 'a', env: { 'A-B': 'x' } }] }, false],
      [{ jobs: [{ name: 'a', steps: [{ kind: 'zip' }] }] }, false],
      [{ jobs: [{ name: 'a', steps: [{ kind: 'copy' }] }] }, false],
      [{ jobs: [{ name: 'a', steps: [{ kind: 'preview', fsp: 3 }] }] }, false],
      [{ defaults: { name: 'x' }, jobs: [{ name: 'a' }] }, false],
      [{ defaults: { after: ['x'] }, jobs: [{ name: 'a' }] }, false],
      [{ jobs: [{ name: 'a' }], extra: 1 }, false],
      [[{ name: 'a' }], false],
    ];
    for (const [sample, valid] of samples) {
      expect({ sample, zod: BatchFileSchema.safeParse(sample).success }).toEqual({ sample, zod: valid });
      expect({ sample, jsonSchema: validate(sample) }).toEqual({ sample, jsonSchema: valid });
    }
  });
});

describe('reading a batch file', () => {
  it('names the file, the line and the field of a wrong type', () => {
    const text = [
      'defaults:', //               1
      '  frames: 1001-1100', //     2
      '  chunk: 10', //             3
      'jobs:', //                   4
      '  - name: sh010', //         5
      '    scene: sh010.blend', //  6
      '  - name: sh020', //         7
      '    scene: sh020.blend', //  8
      '  - name: sh030', //         9
      '    scene: sh030.blend', //  10
      '  - name: sh040', //         11
      '    priority: high', //      12
      '    scene: sh040.blend', //  13
    ].join('\n');
    expect(problems(text)).toBe('shots.yaml:12: jobs[3].priority: expected a whole number');
  });

  it('reports unknown fields with a suggestion, duplicate names, syntax errors and JSON errors by line', () => {
    expect(problems('jobs:\n  - name: a\n    prioity: 3\n')).toBe('shots.yaml:3: jobs[0].prioity: unknown field (did you mean "priority"?)');
    expect(problems('jobs:\n  - name: a\n  - name: b\n  - name: a\n')).toBe(
      'shots.yaml:4: jobs[2].name: "a" is already the name of jobs[0] (line 2); names are unique in a file',
    );
    expect(problems('jobs:\n  - name: a\n    frames: [1,\n')).toMatch(/^shots\.yaml:\d: /);
    expect(problems('jobs:\n  - name: a\n  - scene: b.blend\n')).toBe('shots.yaml:3: jobs[1].name: is required');
    expect(problems('{\n  "jobs": [\n    {"name": "a",}\n  ]\n}', true)).toMatch(/^shots\.yaml:3: not valid JSON/);
    expect(problems('{\n  "jobs": [\n    {"name": "a", "retries": -1}\n  ]\n}', true)).toBe(
      'shots.yaml:3: jobs[0].retries: expected a whole number from 0 to 100',
    );
    expect(problems('')).toBe('shots.yaml:1: the file is empty: it needs a `jobs:` list');
    expect(problems('jobs: 3\n')).toBe('shots.yaml:1: jobs: expected a list of jobs');
  });

  it('applies defaults under each job, merging env and tags, keeping versions as written', () => {
    const batch = parse(
      [
        'defaults:',
        '  frames: 1-10',
        '  output: out/{job}_####',
        '  env: { A: "1", B: 2 }',
        '  tags: [show]',
        '  timeout: 2h',
        'jobs:',
        '  - name: a',
        '    scene: a.blend',
        '    version: 3.10',
        '    env: { B: three }',
        '    tags: hero',
        '  - name: b',
        '    template: tool --in {scene}',
        '    frames: 5',
        '    after: a',
        '    device: gpu:1',
        '    steps: [{ kind: preview, fps: 25 }]',
      ].join('\n'),
    );
    expect(batch.inputs).toEqual([
      {
        name: 'a',
        scene: 'a.blend',
        version: '3.10',
        frames: '1-10',
        output: 'out/{job}_####',
        taskTimeoutSec: 7200,
        tags: ['show', 'hero'],
        overrides: { env: { A: '1', B: 'three' } },
      },
      {
        name: 'b',
        dcc: 'command',
        frames: '5',
        output: 'out/{job}_####',
        taskTimeoutSec: 7200,
        tags: ['show'],
        after: ['a'],
        device: { gpu: 1 },
        steps: [{ kind: 'preview', fps: 25 }],
        overrides: { env: { A: '1', B: '2' }, template: 'tool --in {scene}' },
      },
    ]);
  });

  it('maps a later refusal of a job field to its line, or to the default it came from', () => {
    const batch = parse('defaults:\n  frames: 1-x\njobs:\n  - name: a\n  - name: b\n    scene: b.blend\n');
    expect(batch.mapError(1, 'scene', 'scene file not found: /shots/b.blend').message).toBe(
      'shots.yaml:6: jobs[1].scene: scene file not found: /shots/b.blend',
    );
    expect(batch.mapError(0, 'frames', '"1-x": expected a frame number at column 3').message).toBe(
      'shots.yaml:2: jobs[0].frames (from defaults): "1-x": expected a frame number at column 3',
    );
    expect(batch.mapError(1, 'after', 'dependency cycle: b → a → b').message).toBe('shots.yaml:5: jobs[1].after: dependency cycle: b → a → b');
    expect(batch.mapError(0, 'steps.0.run', 'unknown token {x}').message).toBe('shots.yaml:4: jobs[0].steps[0].run: unknown token {x}');
  });
});
