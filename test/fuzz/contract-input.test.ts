import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, type CommandResult } from '../../src-preload/contract';
import { createDispatcher, type Dispatcher } from '../../src-main/api/dispatch';
import { Engine } from '../../src-main/engine/engine';
import { tempDir } from '../helpers/fake-dcc';

/**
 * The contract's boundary (what Electron IPC and browser-mode HTTP both call): any input to any
 * command is answered with a CommandResult, and a refusal is `invalid` naming its field, never an
 * `internal` error (which would mean a handler met input the schema should have stopped).
 * Settings get their own round: a refused settings.set changes nothing, an accepted one reads back.
 */

let engine: Engine;
let dispatch: Dispatcher;
const internal: string[] = [];
const counted = { settingsAccepted: 0, settingsRefused: 0, commands: 0 };

beforeAll(async () => {
  const dir = tempDir('spool-fuzz-contract-');
  engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500 });
  const hardware = { cpu: { model: 'Test CPU', vendor: 'x', physicalCores: 2, logicalCores: 4, speedGHz: 3 }, memory: { totalBytes: 1 }, gpus: [], detectedAt: 1 };
  dispatch = createDispatcher(engine, {
    mode: 'browser',
    detectors: { hardware: async () => hardware, dccs: async () => [] },
    onInternalError: (command, error) => internal.push(`${command}: ${error instanceof Error ? error.message : String(error)}`),
  });
  // A few jobs for the id-taking commands to find; they never render (paused at once).
  for (let i = 0; i < 3; i++) {
    const job = await engine.submit({ dcc: 'command', frames: '1', overrides: { template: 'true' } });
    engine.setIntent(job.id, 'paused');
  }
});
afterAll(async () => {
  await engine.stop();
  console.log(`contract fuzz: ${counted.commands} command inputs; settings.set ${counted.settingsAccepted} accepted, ${counted.settingsRefused} refused`);
});

function expectNamedRefusal(result: CommandResult<unknown>, what: string): void {
  if (result.ok) return;
  expect(result.error.code, `${what}: ${result.error.message}`).not.toBe('internal');
  if (result.error.code === 'invalid') {
    for (const line of result.error.message.split('\n')) expect(line, what).toMatch(/^[^\s:][^:]*: ./);
  }
}

describe('contract input fuzz', () => {
  it('settings.set: a refusal names its field and changes nothing; an acceptance reads back', async () => {
    const seconds = fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 31 * 24 * 3600 }), fc.jsonValue());
    const defaults = fc.oneof(
      fc.record({ retries: fc.oneof(fc.integer({ min: -3, max: 105 }), fc.jsonValue()), stallTimeoutSec: seconds, taskTimeoutSec: seconds }, { requiredKeys: [] }),
      fc.jsonValue(),
    );
    const executable = fc.record(
      {
        dcc: fc.oneof(fc.constantFrom('blender', 'command', 'povray', 'nope', 'BLENDER', ''), fc.jsonValue()),
        executable: fc.oneof(fc.constantFrom(process.execPath, '/bin/sh', '/etc/passwd', 'relative/tool', '/no/such/file', '', '/tmp'), fc.string(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    const input = fc.oneof(
      fc.record({ defaults, userExecutables: fc.oneof(fc.array(executable, { maxLength: 3 }), fc.jsonValue()) }, { requiredKeys: [] }),
      fc.jsonValue(),
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue(), { maxKeys: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(input, async (value) => {
        const before = await dispatch('settings.get', {});
        const result = await dispatch('settings.set', value);
        const after = await dispatch('settings.get', {});
        expectNamedRefusal(result, fc.stringify(value));
        if (!result.ok) {
          counted.settingsRefused++;
          expect(result.error.code).toBe('invalid');
          expect(after, `a refused settings.set changed the settings: ${fc.stringify(value)}`).toEqual(before);
          return;
        }
        counted.settingsAccepted++;
        expect(after).toEqual({ ok: true, value: result.value });
        const sent = (value ?? {}) as { defaults?: object; userExecutables?: object[] };
        const now = (after as { ok: true; value: { defaults: object; userExecutables: object[] } }).value;
        if (sent.defaults) expect(now.defaults).toEqual(sent.defaults);
        if (sent.userExecutables) expect(now.userExecutables).toEqual(sent.userExecutables);
      }),
      { numRuns: 2000 },
    );
    expect(internal).toEqual([]);
  });

  it('every command, arbitrary input: a CommandResult, never an internal error', async () => {
    // jobs.submit has its own suite (test/fuzz/submit-input); scene.probe and scene.warm start the DCC itself.
    const commands = COMMAND_NAMES.filter((c) => c !== 'jobs.submit' && c !== 'scene.probe' && c !== 'scene.warm');
    const ids = fc.array(fc.oneof(fc.integer({ min: -2, max: 6 }), fc.jsonValue()), { maxLength: 4 });
    const input = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ id: fc.oneof(fc.integer({ min: -2, max: 6 }), fc.jsonValue()), ids, priority: fc.oneof(fc.integer({ min: -2000, max: 2000 }), fc.jsonValue()), frame: fc.jsonValue(), attemptId: fc.jsonValue(), refresh: fc.jsonValue() }, { requiredKeys: [] }),
      fc.constant(undefined),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commands), input, async (command, value) => {
        // Changing the queue is allowed; deleting it all would make later cases trivial, so deletes are checked without effect.
        const result = await dispatch(command, command === 'jobs.delete' ? { ids: [999_999] } : value);
        counted.commands++;
        expectNamedRefusal(result, `${command} ${fc.stringify(value)}`);
      }),
      { numRuns: 3000 },
    );
    expect(internal).toEqual([]);
  });
});
