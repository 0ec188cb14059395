import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SuperviseResult } from '../supervisor/types';
import { autoChunkSize } from './auto-chunk';
import { backoffMs } from './backoff';
import { classifyAttempt } from './classify';

const exit = (over: Partial<SuperviseResult> = {}): SuperviseResult => ({
  cause: 'exit',
  exitCode: 0,
  signal: null,
  message: null,
  durationMs: 10,
  forceKilled: false,
  ...over,
});

describe('automatic chunking', () => {
  it('starts unmeasured scenes with one chunk per slot, capped', () => {
    expect(autoChunkSize(48, 1, null)).toBe(48);
    expect(autoChunkSize(48, 2, null)).toBe(24);
    expect(autoChunkSize(1000, 1, null)).toBe(50);
  });

  it('keeps start-up under 5% once measured', () => {
    // 2 s start-up, 1 s per frame: 38 frames make start-up 2/(2+38) = 5%.
    expect(autoChunkSize(1000, 2, { startupMs: 2000, frameMs: 1000 })).toBe(38);
  });

  it('never leaves a slot idle for the sake of start-up', () => {
    expect(autoChunkSize(10, 4, { startupMs: 5000, frameMs: 100 })).toBe(3);
  });

  it('caps a chunk at about 15 minutes of rendering', () => {
    expect(autoChunkSize(10_000, 1, { startupMs: 60_000, frameMs: 60_000 })).toBe(15);
  });

  it('always returns a whole number of frames between 1 and what remains', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 64 }),
        fc.option(fc.record({ startupMs: fc.double({ min: 0, max: 1e6, noNaN: true }), frameMs: fc.double({ min: 0.001, max: 1e7, noNaN: true }) })),
        (remaining, slots, timing) => {
          const size = autoChunkSize(remaining, slots, timing);
          return Number.isInteger(size) && size >= 1 && size <= remaining;
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('retry backoff', () => {
  it('doubles from 5 s up to 5 min', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n))).toEqual([5000, 10000, 20000, 40000, 300000]);
  });
});

describe('failure classification', () => {
  const facts = { fatalError: null, lastErrorLine: null, missing: [] };

  it('accepts a clean exit with every frame', () => {
    expect(classifyAttempt({ ...facts, result: exit() })).toEqual({ ok: true });
  });

  it('treats an adapter-reported fatal error as the reason even after exit 0', () => {
    const verdict = classifyAttempt({ ...facts, result: exit(), fatalError: { message: '[Redshift] Maxon licensing error', retryable: false } });
    expect(verdict).toEqual({ ok: false, reason: '[Redshift] Maxon licensing error', retryable: false });
  });

  it('names signals, exit codes with the last error line, and missing or empty frames', () => {
    expect(classifyAttempt({ ...facts, result: exit({ signal: 'SIGSEGV', exitCode: null }) })).toMatchObject({ reason: 'crashed: killed by SIGSEGV', retryable: true });
    expect(classifyAttempt({ ...facts, result: exit({ exitCode: 1 }), lastErrorLine: 'Error: CUDA error' })).toMatchObject({ reason: 'exited with code 1: Error: CUDA error' });
    expect(classifyAttempt({ ...facts, result: exit(), missing: [{ frame: 3, path: '/o/3.png', empty: false }, { frame: 4, path: null, empty: false }] })).toMatchObject({
      reason: 'frame 3 was not written (expected /o/3.png) (and 1 more)',
      retryable: true,
    });
    expect(classifyAttempt({ ...facts, result: exit(), missing: [{ frame: 2, path: '/o/2.png', empty: true }] })).toMatchObject({ reason: 'frame 2 was written empty (0 bytes): /o/2.png' });
  });

  it('does not retry what cannot improve: missing executable', () => {
    expect(classifyAttempt({ ...facts, result: exit({ cause: 'spawn-error', exitCode: null, message: 'executable not found: /x' }) })).toMatchObject({ retryable: false });
  });
});
