import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as submit } from '../../src-main/cli/commands/submit';
import { makeContext } from '../../src-main/cli/context';
import { InputError } from '../../src-main/engine/errors';
import { parseFrameSet } from '../../src-main/engine/frames';
import { Store } from '../../src-main/engine/store';
import { tempDir } from '../helpers/fake-dcc';
import { spool } from '../helpers/spool-cli';
import { terminalSafe } from '../../src-main/cli/terminal-safe';

/**
 * `spool submit --frames TEXT` end to end: whatever an artist types ends in a job holding exactly
 * the frames the parser reads from it, or in exit 2 with the parser's own message. The parser is
 * property-tested on its own (src-main/engine/frames); this checks the way from the flag to the
 * store. Hundreds of cases run in-process through the submit command with a private context (the
 * CLI entry point runs main() when imported); a sample goes through the real bundle too.
 */

const frameItem = fc.oneof(
  fc.integer({ min: -50, max: 200 }).map(String),
  fc.tuple(fc.integer({ min: -50, max: 200 }), fc.integer({ min: -50, max: 200 })).map(([a, b]) => `${a}-${b}`),
  fc.tuple(fc.integer({ min: -20, max: 100 }), fc.integer({ min: -20, max: 300 }), fc.integer({ min: -2, max: 12 }), fc.constantFrom('x', 'X', ':', ' x ', 'by'))
    .map(([a, b, s, mark]) => `${a}-${b}${mark}${s}`),
  fc.constantFrom('1–10', '10-1', '-10--1', '0', '1-', '-', 'x5', ',', '1,,2', '1 - 3', '١-٣', '1e3', '0x10', '+5', '999999999999', '1-1000000x500'),
);
const frameText = fc.oneof(
  { weight: 4, arbitrary: fc.array(frameItem, { minLength: 1, maxLength: 5 }).chain((items) => fc.constantFrom(',', ', ', ' ', ' ,').map((sep) => items.join(sep))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t1-3\n', ' 1-3 ', '1-3\u00a0', '1-3\u200b') },
);

/** Frame counts above a few thousand are valid, but inserting them only slows the fuzzer. */
const affordable = (text: string): boolean => {
  const parsed = parseFrameSet(text);
  return !parsed.ok || parsed.frames.length <= 5000;
};

let dir: string;
let data: string;
let store: Store;
const counts = { accepted: 0, refused: 0, spawned: 0 };
beforeAll(() => {
  dir = tempDir('spool-fuzz-frames-');
  data = path.join(dir, 'data');
});
afterAll(() => {
  store?.close();
  console.log(`--frames fuzz: ${counts.accepted} accepted, ${counts.refused} refused in-process; ${counts.spawned} through the bundle`);
});

describe('spool submit --frames', () => {
  it('in-process: the stored frames are the parser\'s, or the refusal is its message', async () => {
    await fc.assert(
      fc.asyncProperty(frameText, fc.boolean(), async (text, asWord) => {
        // `--frames TEXT` as two words, unless TEXT would itself read as a flag (`--frames --x`).
        const separate = asWord && !/^-(?!\d)/.test(text);
        fc.pre(affordable(text));
        const out: string[] = [];
        const ctx = makeContext(data, { out: (t) => out.push(t), err: () => undefined, isTTY: false });
        const expected = parseFrameSet(text);
        let code: number;
        try {
          const flag = separate ? ['--frames', text] : [`--frames=${text}`];
          code = await submit(['--dcc', 'command', '--template', 'true', ...flag, '--json'], ctx);
        } catch (error) {
          // main() turns an InputError into "spool: MESSAGE" and exit 2; anything else would be a crash.
          expect(error, `--frames=${JSON.stringify(text)}`).toBeInstanceOf(InputError);
          const message = (error as InputError).message;
          if (expected.ok) expect.fail(`--frames=${JSON.stringify(text)} parses but was refused: ${message}`);
          // Columns count in the text as typed, leading blanks included, so a UI can underline the spot.
          if (text.trim() === '') expect(message).toMatch(/^frames: no frame set given/);
          else expect(message).toBe(`frames: ${expected.error.message}`);
          counts.refused++;
          return;
        }
        expect(code).toBe(0);
        if (!expected.ok) expect.fail(`--frames=${JSON.stringify(text)} was accepted but the parser refuses it: ${expected.error.message}`);
        store ??= Store.open(path.join(data, 'spool.db'));
        const id = (JSON.parse(out.join('')) as { id: number }).id;
        expect(store.work.framesOf(id).map((f) => f.frame)).toEqual(expected.frames);
        expect(store.jobs.get(id)!.framesText).toBe(text.trim());
        counts.accepted++;
      }),
      { numRuns: 1000 },
    );
  });

  it('through the real bundle: exit 0 with those frames, or exit 2 and the message on stderr', async () => {
    const samples = fc.sample(frameText.filter((t) => affordable(t) && !t.includes('\0')), { numRuns: 18, seed: 20_260_101 });
    // Negative frames and priorities as separate words: once refused by parseArgs as "ambiguous".
    const dashed = await spool(data, ['submit', '--dcc', 'command', '--template', 'true', '--frames', '-5--1', '--priority', '-3', '--json']);
    expect(dashed.stderr).toBe('');
    expect(dashed.code).toBe(0);
    const negative = JSON.parse((await spool(data, ['show', String((JSON.parse(dashed.stdout) as { id: number }).id), '--json'])).stdout) as { priority: number; frames: { frame: number }[] };
    expect(negative.priority).toBe(-3);
    expect(negative.frames.map((f) => f.frame)).toEqual([-5, -4, -3, -2, -1]);
    for (let i = 0; i < samples.length; i += 3) {
      await Promise.all(
        samples.slice(i, i + 3).map(async (text) => {
          const r = await spool(data, ['submit', '--dcc', 'command', '--template', 'true', `--frames=${text}`, '--json']);
          counts.spawned++;
          const expected = parseFrameSet(text);
          expect(r.stderr, `--frames=${JSON.stringify(text)}`).not.toMatch(/^\s+at /m);
          if (text.trim() === '') {
            // Blank means "not given": with no scene to read a range from, that is the complaint.
            expect(r.code).toBe(2);
            expect(r.stderr).toMatch(/^spool: frames: no frame set given/);
            return;
          }
          if (!expected.ok) {
            expect(r.code, `--frames=${JSON.stringify(text)}: ${r.stderr}`).toBe(2);
            // Every CLI output escapes control characters (issue 15, finding 13).
            expect(r.stderr).toBe(terminalSafe(`spool: frames: ${expected.error.message}\n`));
            return;
          }
          expect(r.code, r.stderr).toBe(0);
          const id = (JSON.parse(r.stdout) as { id: number }).id;
          const shown = JSON.parse((await spool(data, ['show', String(id), '--json'])).stdout) as { frames: { frame: number }[] };
          expect(shown.frames.map((f) => f.frame)).toEqual(expected.frames);
        }),
      );
    }
  }, 120_000);
});
