import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SuperviseResult } from '../supervisor/types';
import { autoChunkSize, startupFloor } from './auto-chunk';
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

  // Issue 16 turned the 5% start-up share from a ceiling into a floor: the old expectations here
  // (38 frames for 1000 on 2 slots, 3 frames for 10 on 4 slots, a 15-frame cap below a 19-frame
  // floor) split work into more Blender starts than the slots needed.
  it('gives one slot one chunk, up to the duration cap', () => {
    // The slow.blend: ~0.6 s start-up, 0.5 s a frame. The floor (23) was the old size: 2 starts.
    expect(autoChunkSize(24, 1, { startupMs: 600, frameMs: 500 })).toBe(24);
    expect(autoChunkSize(10_000, 1, { startupMs: 1000, frameMs: 1000 })).toBe(900);
    expect(autoChunkSize(10_000, 1, { startupMs: 1000, frameMs: 60_000 })).toBe(15);
  });

  it('splits frames to feed every free slot', () => {
    expect(autoChunkSize(100, 4, { startupMs: 1000, frameMs: 1000 })).toBe(25);
    expect(autoChunkSize(1000, 2, { startupMs: 2000, frameMs: 1000 })).toBe(500);
  });

  it('never goes below the start-up floor, even with slots to spare or past the cap', () => {
    // 2 s start-up, 1 s per frame: 38 frames make start-up 2/(2+38) = 5%.
    expect(startupFloor({ startupMs: 2000, frameMs: 1000 })).toBe(38);
    expect(autoChunkSize(100, 8, { startupMs: 2000, frameMs: 1000 })).toBe(38);
    expect(autoChunkSize(10, 4, { startupMs: 5000, frameMs: 100 })).toBe(10);
    // 60 s start-up and 60 s frames: the floor (19 frames) wins over the 15-minute cap (15 frames).
    expect(autoChunkSize(10_000, 1, { startupMs: 60_000, frameMs: 60_000 })).toBe(19);
  });

  it('keeps the floor, the cap and the slots in every case', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 64 }),
        fc.record({ startupMs: fc.double({ min: 0, max: 1e6, noNaN: true }), frameMs: fc.double({ min: 0.001, max: 1e7, noNaN: true }) }),
        (remaining, slots, timing) => {
          const size = autoChunkSize(remaining, slots, timing);
          const floor = Math.min(remaining, startupFloor(timing));
          const cap = Math.max(1, Math.floor((15 * 60_000) / timing.frameMs));
          const perSlot = Math.ceil(remaining / slots);
          return size >= floor && (size === floor || size <= Math.min(cap, perSlot)) && (slots > 1 || size === Math.min(remaining, Math.max(floor, cap)));
        },
      ),
      { numRuns: 2000 },
    );
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
